export declare function assertPortFree(port: number, variable: string): Promise<void>;
