import { defaultDenyRule } from './default-deny.js';

export default defaultDenyRule('egress', 'low');
