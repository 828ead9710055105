/** The server's own rules (AuthService RegisterRequest), checked before sending so mistakes show at once. */
export const passwordMinLength = 10;
export const passwordMaxLength = 128;
const emailMaxLength = 254;
const displayNameMaxLength = 64;

export function emailProblem(email: string): string | undefined {
  const trimmed = email.trim();
  if (trimmed === "") return "Enter your email address.";
  if (trimmed.length > emailMaxLength || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) {
    return "Enter a valid email address, like name@example.com.";
  }
  return undefined;
}

export function newPasswordProblem(password: string): string | undefined {
  if (password.length < passwordMinLength) return `Use at least ${passwordMinLength} characters.`;
  if (password.length > passwordMaxLength) return `Use at most ${passwordMaxLength} characters.`;
  return undefined;
}

export function displayNameProblem(displayName: string): string | undefined {
  const trimmed = displayName.trim();
  if (trimmed === "") return "Enter the name to show in the app.";
  if ([...trimmed].length > displayNameMaxLength) return `Use at most ${displayNameMaxLength} characters.`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return "Use letters, digits, spaces and punctuation only.";
  return undefined;
}
