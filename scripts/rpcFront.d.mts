export declare function isRefused(method: unknown): boolean;
export declare function startRpcFront(p: {
  target: string;
  port?: number;
  host?: string;
  refuseAccounts?: boolean;
}): Promise<{ url: string; refused: string[]; stop(): Promise<void> }>;
