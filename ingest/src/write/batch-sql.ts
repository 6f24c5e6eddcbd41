/**
 * SQL besides the batch statement (batch-statement.ts): the device read. The incident rules' read and
 * write are @streetwise/incidents' (selectOpenIncidents, writeRuleChanges).
 */
export const SELECT_DEVICES = `select id, blocked, district from devices where id = any($1::text[])`;

