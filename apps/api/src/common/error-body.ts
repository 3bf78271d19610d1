import { STATUS_CODES } from 'node:http';

export interface FieldProblem {
  field: string;
  problem: string;
}

/** The one error shape (docs/api.md, "Errors"): `message` is always one string. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: FieldProblem[];
}

export function errorBody(statusCode: number, message: string, details: FieldProblem[] = []): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, details };
}
