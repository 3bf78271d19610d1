import { Injectable } from '@nestjs/common';

/** Whether start-up is done (views caught up, demo data loaded): `/health` is 503 until then. */
@Injectable()
export class Readiness {
  private ready = false;

  markReady(): void {
    this.ready = true;
  }

  get isReady(): boolean {
    return this.ready;
  }

  get why(): string {
    return this.ready ? 'ready' : 'starting';
  }
}
