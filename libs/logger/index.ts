export { createLogger, deliveryLogger, REDACTED_PATHS, type DeliveryLogFields, type Logger } from './logger.js';
