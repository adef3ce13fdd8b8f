export declare function isRefused(method: unknown): boolean;
export declare function startRpcFront(p: { target: string; port?: number; host?: string }): Promise<{ url: string; refused: string[]; stop(): Promise<void> }>;
