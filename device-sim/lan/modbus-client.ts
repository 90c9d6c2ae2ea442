import modbusSerial from 'modbus-serial';

type ModbusClass = typeof modbusSerial.default;

/**
 * modbus-serial's Modbus client class. The package is CommonJS whose `module.exports` is the
 * class, while its typings declare it as the default export; this reads it either way.
 */
export const ModbusClient: ModbusClass = (modbusSerial as unknown as { default?: ModbusClass }).default ?? (modbusSerial as unknown as ModbusClass);
export type ModbusClient = InstanceType<ModbusClass>;
