export { useContracts, parseContractsSetting, type ContractsOptions, type ContractsPlugin } from './useContracts.ts';
