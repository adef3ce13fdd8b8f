export declare const chromiumPath: string;
export declare function hasChromium(): boolean;
export declare const chromiumArgs: string[];
export declare const chromiumHint: string;
export declare function ensureChromium(): boolean;
