/*
 * The customer link page (customer.html), opened by a plant's electrician without an account. Keys: `customer.*`.
 */
export const CUSTOMER = /** @satisfies {import('./types.js').Messages} */ ({});
