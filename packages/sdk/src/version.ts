declare const __PKG_VERSION__: string;
declare const __CONTRACT_VERSION__: string;

/** This SDK's version, as built. */
export const SDK_VERSION: string = __PKG_VERSION__;
/** The `@x/contract` version this SDK was built against. */
export const BUILT_CONTRACT_VERSION: string = __CONTRACT_VERSION__;
