// Browser compatibility of the site's own JavaScript for the browsers in package.json's
// "browserslist". eslint-plugin-compat reports Web APIs a target browser lacks; the
// recommended rules catch code that would throw in any browser.
import compat from "eslint-plugin-compat";
import globals from "globals";
import js from "@eslint/js";
import { readFileSync } from "node:fs";

const { browserslist } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

export default [
  js.configs.recommended,
  compat.configs["flat/recommended"],
  {
    settings: { browsers: browserslist },
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser },
    },
    rules: {
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
    },
  },
];
