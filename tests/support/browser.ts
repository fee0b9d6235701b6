/**
 * Headless Chromium for browser tests, driven by playwright-core: Debian's `/usr/bin/chromium`,
 * a fresh user-data directory per browser (removed on close), no network services of its own.
 * Each browser records the page errors and console errors of its pages, so that a test can assert
 * there were none.
 *
 * ```ts
 * await using browser = await launchBrowser();
 * const page = await browser.newPage();
 * await page.goto(url);
 * ```
 *
 * @module
 */

import { type BrowserContext, chromium, type Page } from "playwright-core";
import { findExecutable } from "./command.ts";
import { decideAvailability } from "./available.ts";

/** The Chromium the tests run. */
export const CHROMIUM = "/usr/bin/chromium";

/** Command-line flags of every test browser. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/** Why a browser test cannot run here, or `null`. */
export function missingForBrowser(): string | null {
  return findExecutable(CHROMIUM) === null
    ? `browser tests need ${CHROMIUM} (package chromium, .ci/install_system_packages.sh)`
    : null;
}

/**
 * True when Chromium is installed; otherwise prints `skipped: <why>` and returns false, except
 * with `CI=true`, where it throws.
 *
 * @throws {Error} in CI when Chromium is missing.
 */
export function requireBrowser(): boolean {
  return decideAvailability(missingForBrowser(), Deno.env.get("CI") === "true");
}

/** A running test browser. */
export interface TestBrowser {
  context: BrowserContext;
  /** Page errors and console errors of its pages, as `<kind>: <text>`. */
  errors: string[];
  newPage(): Promise<Page>;
  /** Closes the browser and removes its user-data directory. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of {@linkcode launchBrowser}. */
export interface LaunchOptions {
  viewport?: { width: number; height: number };
  /** Where downloads go (default: the user-data directory's `downloads/`). */
  acceptDownloads?: boolean;
}

/** Starts headless Chromium with a fresh profile (UTC, en-US, 1400×900 by default). */
export async function launchBrowser(
  { viewport = { width: 1400, height: 900 }, acceptDownloads = true }: LaunchOptions = {},
): Promise<TestBrowser> {
  const dir = await Deno.makeTempDir({ prefix: "fgm-chromium-" });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS],
      headless: true,
      viewport,
      timezoneId: "UTC",
      locale: "en-US",
      acceptDownloads,
    });
  } catch (e) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw e;
  }
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`console: ${m.text()}`);
    });
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  let closed: Promise<void> | null = null;
  const close = () =>
    closed ??= (async () => {
      try {
        await context.close();
      } finally {
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      }
    })();
  return {
    context,
    errors,
    newPage: () => context.newPage(),
    close,
    [Symbol.asyncDispose]: close,
  };
}
