declare const __PKG_VERSION__: string;

/** The version of this copy of `@x/contract`: the contract version a host offers and a plugin is built against. */
export const CONTRACT_VERSION: string = __PKG_VERSION__;
