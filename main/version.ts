/** The tool's version, as reports and EAR tokens record it (kept equal to package.json's). */
export const VERSION = '0.1.0';
