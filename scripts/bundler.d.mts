import type { ChildProcess } from 'node:child_process';
export declare const DEV_BUNDLER_EXECUTOR_KEY: `0x${string}`;
export declare const DEV_BUNDLER_UTILITY_KEY: `0x${string}`;
export declare function bundlerCommand(p: { rpcUrl: string; port: number }): [string, string[]];
export declare function waitForBundler(url: string, child?: ChildProcess, timeoutMs?: number): Promise<void>;
export declare function spawnBundler(p: { rpcUrl: string; port?: number }): Promise<{ url: string; stop(): Promise<void> }>;
export declare function startDevBundler(p: { rpcUrl: string; port: number }): Promise<string>;
