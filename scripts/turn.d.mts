export declare const turnserverPath: string;
export declare function hasTurnserver(): boolean;
export declare const turnHint: string;
export declare const TEST_TURN_USER: string;
export declare const TEST_TURN_PASSWORD: string;
export type TestRelayIce = { iceServers: { urls: string[]; username: string; credential: string }[]; iceTransportPolicy: 'relay' };
export declare function testRelayIce(port: number): TestRelayIce;
export declare function startTurn(p: { port: number; minPort: number; maxPort: number }): Promise<void>;
export declare function ensureTurnserver(): boolean;
