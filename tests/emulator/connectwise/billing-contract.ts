/**
 * The contract models behind billing counts (docs/psa/connectwise.md#billing-counts), which the
 * pruned 2025.8 copy in shared/specs leaves out. Written from the full contract's generated docs
 * (ai-connor/connectwise `build/docs/Addition.md`, `IvItemReference.md`, `CatalogItem.md` and the
 * `*Reference.md` they use, commit 9cd5f49); the enums the generator dropped from those docs come
 * from an older generation of the same contract (sowderca/connectwise-ruby-sdk
 * `lib/connectwise-ruby-sdk/models/addition.rb` and `catalog_item.rb`, commit 46eb303).
 * One source for both the spec checks (spec-check.ts) and the condition field kinds (schema.ts).
 */

export interface ContractSchema {
  type?: string;
  nullable?: boolean;
  format?: string;
  $ref?: string;
  description?: string;
  properties?: Record<string, ContractSchema>;
  additionalProperties?: ContractSchema | boolean;
  enum?: unknown[];
  items?: ContractSchema;
}

const int: ContractSchema = { type: 'integer', nullable: true };
const num: ContractSchema = { type: 'number', nullable: true };
const bool: ContractSchema = { type: 'boolean', nullable: true };
const str: ContractSchema = { type: 'string' };
const date: ContractSchema = { type: 'string', format: 'date-time' };
const max = (n: number): ContractSchema => ({ type: 'string', description: ` Max length: ${n};` });
const ref = (name: string): ContractSchema => ({ $ref: `#/components/schemas/${name}` });
const info: ContractSchema = { type: 'object', additionalProperties: { type: 'string' } };
const named: ContractSchema = { type: 'object', properties: { id: int, name: str, _info: info } };

export const BILLING_CONTRACT: Record<string, ContractSchema> = {
  Addition: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      product: ref('IvItemReference'),
      quantity: num,
      lessIncluded: num,
      unitPrice: num,
      unitCost: num,
      billCustomer: { type: 'string', nullable: true, enum: ['Billable', 'DoNotBill', 'NoCharge'] },
      effectiveDate: date,
      cancelledDate: date,
      taxableFlag: bool,
      serialNumber: max(50),
      invoiceDescription: max(6000),
      purchaseItemFlag: bool,
      specialOrderFlag: bool,
      agreementId: int,
      description: str,
      billedQuantity: num,
      uom: str,
      extPrice: num,
      extCost: num,
      sequenceNumber: num,
      margin: num,
      prorateCost: num,
      proratePrice: num,
      extendedProrateCost: num,
      extendedProratePrice: num,
      prorateCurrentPeriodFlag: bool,
      opportunity: ref('OpportunityReference'),
      agreementStatus: { type: 'string', nullable: true },
      invoiceGrouping: ref('InvoiceGroupingReference'),
      _info: info,
      customFields: { type: 'array', items: ref('CustomFieldValue') },
    },
  },
  IvItemReference: { type: 'object', properties: { id: int, identifier: str, serializedFlag: bool, _info: info } },
  CatalogItem: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      identifier: max(75),
      description: max(60),
      inactiveFlag: bool,
      subcategory: ref('ProductSubCategoryReference'),
      type: ref('ProductTypeReference'),
      productClass: { type: 'string', nullable: true, enum: ['Agreement', 'Bundle', 'Inventory', 'NonInventory', 'Service'] },
      serializedFlag: bool,
      serializedCostFlag: bool,
      phaseProductFlag: bool,
      unitOfMeasure: ref('UnitOfMeasureReference'),
      minStockLevel: int,
      price: num,
      cost: num,
      priceAttribute: { type: 'string', nullable: true, enum: ['FixedFee', 'NotToExceed', 'TimeAndMaterials', 'OverrideRate'] },
      taxableFlag: bool,
      dropShipFlag: bool,
      specialOrderFlag: bool,
      customerDescription: max(6000),
      manufacturer: ref('ManufacturerReference'),
      manufacturerPartNumber: max(50),
      vendor: ref('CompanyReference'),
      vendorSku: max(50),
      notes: str,
      integrationXRef: max(50),
      sla: ref('SLAReference'),
      entityType: ref('EntityTypeReference'),
      recurringFlag: bool,
      recurringRevenue: num,
      recurringCost: num,
      recurringOneTimeFlag: bool,
      recurringBillCycle: ref('BillingCycleReference'),
      recurringCycleType: { type: 'string', nullable: true },
      calculatedPriceFlag: bool,
      calculatedCostFlag: bool,
      category: ref('ProductCategoryReference'),
      calculatedPrice: num,
      calculatedCost: num,
      billableOption: { type: 'string', nullable: true },
      connectWiseID: str,
      agreementType: ref('AgreementTypeReference'),
      markupPercentage: num,
      markupFlag: bool,
      autoUpdateUnitCostFlag: bool,
      autoUpdateUnitPriceFlag: bool,
      _info: info,
      customFields: { type: 'array', items: ref('CustomFieldValue') },
    },
  },
  ProductSubCategoryReference: named,
  ProductTypeReference: named,
  UnitOfMeasureReference: named,
  ProductCategoryReference: named,
  InvoiceGroupingReference: {
    type: 'object',
    properties: { id: int, name: str, description: str, showPriceFlag: bool, showSubItemsFlag: bool, groupParentChildAdditionsFlag: bool, _info: info },
  },
};

/** The same models as condition field kinds (schema.ts notation: 'n', 's', 'b', 'd', 'o', 'e:A|B', '@X', '[]X'). */
export function contractKinds(models: Record<string, ContractSchema>): Record<string, Record<string, string>> {
  const kindOf = (s: ContractSchema): string => {
    if (s.$ref) return `@${s.$ref.split('/').pop() as string}`;
    if (s.type === 'array') return `[]${(s.items?.$ref ?? '').split('/').pop() as string}`;
    if (s.type === 'object') return 'o';
    if (s.type === 'integer' || s.type === 'number') return 'n';
    if (s.type === 'boolean') return 'b';
    if (s.enum) return `e:${s.enum.join('|')}`;
    return s.format === 'date-time' ? 'd' : 's';
  };
  return Object.fromEntries(
    Object.entries(models).map(([name, model]) => [name, Object.fromEntries(Object.entries(model.properties ?? {}).map(([key, s]) => [key, kindOf(s)]))]),
  );
}
