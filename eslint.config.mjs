import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...next,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "generated/**",
      "data/**",
      "test-results/**",
      "playwright-report/**",
      "public/**",
      "models/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // lib/ is framework-free: the same code runs in routes, the CLI, workers and the browser.
    files: ["lib/**/*.{ts,tsx,mts,mjs,js}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["next", "next/*"],
              message: "lib/ is framework-free: no Next.js in lib/ (put it in app/_server).",
            },
            {
              group: ["react", "react/*", "react-dom", "react-dom/*"],
              message: "lib/ is framework-free: no React in lib/ (put it in components/).",
            },
            {
              group: ["@/app", "@/app/*", "**/app/*", "@/components", "@/components/*", "**/components/*"],
              message: "lib/ must not import app/ or components/.",
            },
          ],
        },
      ],
    },
  },
  {
    // No import cycles in the application code (type-only imports included: they still couple the modules).
    files: ["lib/**/*.{ts,tsx}", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    // Packages are not followed: a cycle through node_modules is not ours, and parsing them takes minutes.
    settings: { "import/ignore": ["node_modules"] },
    rules: {
      "import/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
];
export default config;
