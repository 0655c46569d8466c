export { type Greeter, greeter } from './greeter.js';
export { type Transformer, transformer } from './transformer.js';
