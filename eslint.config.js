import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Modules that do I/O or tie code to a runtime: only the named adapters in shared/ may import them. */
const runtimeModules = {
  patterns: [
    { group: ["@restatedev/*"], message: "shared/ is domain code: Restate belongs in services/." },
    { group: ["postgres", "@electric-sql/*"], message: "SQL lives in shared/db only." },
    {
      group: ["undici", "node:net", "node:http", "node:https", "node:http2", "node:dns", "node:tls"],
      message: "Network access lives in shared/scrape only.",
    },
  ],
};

export default tseslint.config(
  { ignores: ["node_modules/", "data/", "coverage/", "test-results/"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", URL: "readonly" },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
      "no-console": "off",
    },
  },
  { files: ["**/*.js", "**/*.mjs"], ...tseslint.configs.disableTypeChecked },
  {
    // Tests read JSON answers and use vitest's asymmetric matchers (typed any) on purpose.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-base-to-string": "off",
    },
  },
  {
    files: ["shared/**/*.ts"],
    ignores: ["shared/db/**", "shared/scrape/**"],
    rules: { "no-restricted-imports": ["error", runtimeModules] },
  },
);
