// Lints the map's own browser code (geo/web/); run by `make lint` and `make test`.
const js = require("@eslint/js");

module.exports = [
  js.configs.recommended,
  {
    files: ["geo/web/**/*.js"],
    languageOptions: {
      ecmaVersion: 2019,
      sourceType: "script",
      globals: {window: "readonly", document: "readonly", fetch: "readonly", L: "readonly"},
    },
    rules: {eqeqeq: "error", "no-var": "off", strict: ["error", "function"]},
  },
];
