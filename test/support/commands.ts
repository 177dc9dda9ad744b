import { execFileSync } from 'node:child_process';

/** Whether a program is on PATH (poppler's pdftoppm and pdftotext read PDFs back; CI installs them). */
export function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
