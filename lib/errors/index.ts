export { NacError, isNacError, ERROR_CODES, type ErrorCode } from "./nac-error";
