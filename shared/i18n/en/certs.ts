/** English texts of the certs module (finding and error codes, CLI and wizard labels). */
export const certs = {} as const;
