/** The public face of this capability: what other capabilities and the composition root use. */
export * from './rma-service.ts';
// The ticket's vocabulary, for capabilities that show tickets to other audiences (the portal).
export {
  Actor,
  Charges,
  CustomerDecision,
  CustomerRemittance,
  Deadline,
  DeadlineKind,
  InboundShipment,
  OutboundShipment,
  Part,
  RepairReport,
  RMA_STATES,
  RmaState,
  RmaTicket,
  ServiceRegistrationForm,
  Shipment,
  Standby,
  WarrantyConfirmation,
} from './domain/rma-ticket.ts';
export { RemittanceReport } from './domain/rma-customer-remittance.ts';
export { workingDaysUsed } from './domain/rma-repair-clock.ts';
