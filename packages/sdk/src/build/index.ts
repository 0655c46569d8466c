export { CONTRACT_FILE, writeContractFile } from './write-contract-file.js';
