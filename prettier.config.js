/**
 * Prettier, set to the style the code was already written in (measured on commit a28dafa by formatting the tree
 * with each candidate and counting changed lines; see docs/code-habits.md). The house writes long lines: 190 gave
 * the smallest diff (120 changed 4x as many lines, 160 a third more); single quotes; everything else is Prettier's
 * default (trailing commas everywhere, semicolons, `(x) =>`), which the code already follows.
 * Generated and hand-laid files are listed in .prettierignore.
 */
module.exports = {
  printWidth: 190,
  singleQuote: true,
};
