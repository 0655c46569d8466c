// piscina's task: the same plugin logic as the worker plugin (the example greeter's own export).
import { plugin } from '../../../../examples/greeter-english/dist/index.js';

export default ({ method, args }) => plugin[method](...args);
