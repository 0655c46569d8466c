// node-plop imports inquirer (with rxjs, iconv-lite, external-editor… about 1 MB bundled) for the
// prompts it runs itself. This generator's prompts are a function that asks with @clack/prompts,
// so node-plop never calls inquirer: the bundle swaps it for this stub (tsup.config.ts), and a
// call that would reach it fails loudly instead of silently prompting through another library.
const unused = (): never => {
  throw new Error('create-greeter-plugin: inquirer is not bundled; prompts go through @clack/prompts.');
};
const prompt = Object.assign(unused, { prompts: {} });
export default { registerPrompt: unused, prompt, createPromptModule: unused };
