/**
 * The adapter folder's one public entry for the layers above (suites, targets, run): the adapter
 * protocol's wire format (ADAPTER.md), the client that drives any adapter process, the
 * in-process reference adapter, its command (`bm-conformance adapter`) and the "could not run"
 * error base every layer shares. The package's `./adapter` export is client.ts alone.
 * @module
 */
export { AdapterClient, type AdapterClientOptions, type RequestOptions } from './client.ts';
export { AdapterError, AdapterRunError, adapterError, type AdapterStep } from './errors.ts';
export { CouldNotRun, isCouldNotRun } from './couldnotrun.ts';
export { handleRequest, OP_NAMES, PROTOCOL_VERSION } from './adapter.ts';
export { referenceImplementation } from './ops.ts';
export { ERROR_CLASSES, encodeLine, parseLine, type AdapterResponse, type HelloResult } from './wire.ts';
export { ADAPTER_FAULT_NAMES, ADAPTER_FAULTS_ENV } from './faults.ts';
export { adapterMain } from './main.ts';
