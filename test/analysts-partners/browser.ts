import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The system Chromium, headless, with no background traffic of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface OfflinePage {
  page: Page;
  /** Requests that tried to leave this machine (refused). */
  blocked: string[];
  /** Page errors and console errors. */
  errors: string[];
}

/** A page on which any request off 127.0.0.1 is refused and recorded; blob: and data: URLs stay in the page. */
export async function offlinePage(target: Browser | BrowserContext): Promise<OfflinePage> {
  const page = await target.newPage({ viewport: { width: 1440, height: 900 } });
  const blocked: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1' || url.hostname === 'localhost')
      return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return { page, blocked, errors };
}

/** The CodeMirror editor at a selector, set as a user would paste into it. */
export async function setEditor(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).first().waitFor({ state: 'attached' });
  await page.$eval(
    selector,
    (element, value) => (element as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(value),
    text,
  );
}

/** The text of a CodeMirror editor at a selector. */
export function editorText(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (element) => (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
}
