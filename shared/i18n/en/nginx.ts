/** English texts of the nginx module (finding and error codes, CLI and wizard labels). */
export const nginx = {} as const;
