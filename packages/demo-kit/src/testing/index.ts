export type { PrintedCurl, RunningDemo } from './run-demo-main.js';
export { parseCurls, runDemoMain, stopDemos } from './run-demo-main.js';
