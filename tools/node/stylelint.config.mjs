// Browser compatibility of the site's CSS for the browsers in package.json's "browserslist"
// (the prefecture's Edge 124 and the two latest Chrome, Edge, Firefox, Safari and iOS Safari).
// Only compatibility is checked here; style is left to the authors of each file.
import { readFileSync } from "node:fs";

const { browserslist } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

export default {
  plugins: ["stylelint-no-unsupported-browser-features"],
  rules: {
    "plugin/no-unsupported-browser-features": [
      true,
      {
        severity: "error",
        browsers: browserslist,
        // A finding that is safe (a no-op where unsupported) is silenced where it occurs, with
        // a stylelint-disable comment that says why, never here for the whole site.
        ignorePartialSupport: true,
      },
    ],
  },
};
