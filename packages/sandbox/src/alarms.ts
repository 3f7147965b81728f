/** The states a CloudWatch alarm can be in. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export const ALARM_STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

/**
 * CloudWatch alarm states, set through the admin API (`POST /_sandbox/cloudwatch/alarms`).
 * The sandbox speaks no CloudWatch API: this only lets ECS deployments that monitor alarms
 * see one go into ALARM. An alarm never set is OK.
 */
export class AlarmStates {
  private readonly states = new Map<string, AlarmState>();
  private listeners: ((name: string, state: AlarmState) => void)[] = [];

  get(name: string): AlarmState {
    return this.states.get(name) ?? 'OK';
  }

  /** Sets a state; listeners hear about changes only. */
  set(name: string, state: AlarmState): void {
    const previous = this.get(name);
    this.states.set(name, state);
    if (previous === state) return;
    for (const l of this.listeners) l(name, state);
  }

  list(): { name: string; state: AlarmState }[] {
    return [...this.states].map(([name, state]) => ({ name, state }));
  }

  onChange(listener: (name: string, state: AlarmState) => void): void {
    this.listeners.push(listener);
  }

  /** Forgets every state (all alarms OK again), keeping listeners. */
  clearStates(): void {
    this.states.clear();
  }

  /** Forgets states and listeners (sandbox reset: the services are recreated). */
  clear(): void {
    this.states.clear();
    this.listeners = [];
  }
}
