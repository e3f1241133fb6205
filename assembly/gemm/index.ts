// Kernel family 'gemm': see the files beside this one. This file only re-exports.
