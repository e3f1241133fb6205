// Kernel family 'f32': see the files beside this one. This file only re-exports.
