export declare function assertPortFree(port: number, variable: string): Promise<void>;
export declare function freePort(): Promise<number>;
