// Kernel family 'pool': see the files beside this one. This file only re-exports.
export { maxPool2d, averagePool2d } from "./pool2d";
export { meanReduce } from "./mean";
