// Dockerfile/Containerfile rules: the image build, read from the files found in a scanned tree.
import type { AnyRule } from '../../engine/rule.js';
import user from './user.js';
import baseImage from './base-image.js';
import addUrl from './add-url.js';
import curlPipeShell from './curl-pipe-shell.js';
import secretInEnv from './secret-in-env.js';
import packageCache from './package-cache.js';

export const dockerfileRules: AnyRule[] = [user, baseImage, addUrl, curlPipeShell, secretInEnv, packageCache];
