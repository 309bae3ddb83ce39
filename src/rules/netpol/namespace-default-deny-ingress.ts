import { defaultDenyRule } from './default-deny.js';

export default defaultDenyRule('ingress', 'medium');
