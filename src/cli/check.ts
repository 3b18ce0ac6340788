// One line of the `doctor` report: what was checked, whether it is fine, and the fix when it is not.
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
  optional?: boolean;
}
