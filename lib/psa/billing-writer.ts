/**
 * Counts onto agreements (#16, Password Boss's guide): the one contract between Sidecar's billing
 * counts (what it counts, the schedule, the preview, the write log) and a PSA. Each PSA implements
 * it in lib/psa/<kind>/billing.ts; nothing above this file knows which PSA it talks to.
 */

/** A product a count can be billed as: BMS service, ConnectWise catalog item, Halo item. */
export interface BillingProduct {
  id: string;
  name: string;
}

/** One product's line on an agreement/contract, as the PSA holds it now. */
export interface AgreementLine {
  /** The PSA's id of the line (BMS contract service, ConnectWise addition, Halo line). */
  lineId: string;
  productId: string;
  quantity: number;
}

export interface QuantityChange {
  companyRemoteId: string;
  agreementRemoteId: string;
  product: BillingProduct;
  /** The line as read just before; absent when the agreement has no line for the product yet. */
  line?: AgreementLine;
  quantity: number;
}

export interface BillingRequestPreview {
  method: 'POST' | 'PUT' | 'PATCH';
  /** API path, relative to the integration's API base. */
  path: string;
  body: unknown;
}

export interface BillingWriter {
  /** Where the counts go, as the options page says it ("recurring services of a BMS contract"). */
  readonly target: string;
  /** The PSA's products a count can be mapped to (active ones). */
  products(): Promise<BillingProduct[]>;
  /** The agreement's lines for these products (others are left out); none: an empty list. */
  lines(agreementRemoteId: string, companyRemoteId: string, productIds: string[]): Promise<AgreementLine[]>;
  /** Exactly the request setQuantity makes. */
  preview(change: QuantityChange): BillingRequestPreview;
  /** Sets the product's quantity on the agreement, adding the line when there is none. */
  setQuantity(change: QuantityChange): Promise<AgreementLine>;
}
