// The NHS number's modulus-11 check, as the clerk types: the server checks again
// (extract/nhs_number.h), this only says at once what is wrong.

// { valid, message } for a typed NHS number; spaces and dashes between the digits are allowed.
export function checkNhsNumber(typed) {
  const compact = typed.replace(/[\s-]/g, '');
  if (!/^\d*$/.test(compact)) return { valid: false, message: 'digits only' };
  if (compact.length < 10) return { valid: false, message: `${compact.length} of 10 digits` };
  if (compact.length > 10) return { valid: false, message: 'more than 10 digits' };
  let sum = 0;
  for (let i = 0; i < 9; ++i) sum += Number(compact[i]) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10 || check !== Number(compact[9])) return { valid: false, message: 'check digit wrong: not a valid NHS number' };
  return { valid: true, message: 'valid NHS number' };
}
