/** English texts of the finedb module (finding and error codes, CLI and wizard labels). */
export const finedb = {} as const;
