import type { Abi, Address, Chain, Hex, PublicClient, Transport, WalletClient, Account } from 'viem';
type Clients = { publicClient: PublicClient<Transport, Chain | undefined>; walletClient: WalletClient<Transport, Chain | undefined, Account> };
export declare const DETERMINISTIC_DEPLOYER: Address;
export declare const ENTRY_POINT_V08: Address;
export declare function deployDeterministic(clients: Clients, bytecode: Hex, salt?: Hex): Promise<Address>;
export declare function ensureEntryPoint(clients: Clients): Promise<Address>;
export declare function ensureSimpleAccountFactory(clients: Clients): Promise<Address>;
export declare const simpleAccountAbi: Abi;
export declare const simpleAccountFactoryAbi: Abi;
