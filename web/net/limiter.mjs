// A concurrency limit for network requests with two priorities: requests the
// application waits for ('high') go before prefetches ('low'), and
// prefetches never take more than `lowMax` of the slots, so an idle-time
// prefetch cannot make a needed module wait for a whole slot.
//
//   const limiter = new Limiter(6, 2);
//   const ticket = { priority: 'low' };
//   const release = await limiter.acquire(ticket, signal);
//   try { ... } finally { release(); }
//   // elsewhere, while it still waits: ticket.priority = 'high'; limiter.pump();
export class Limiter {
  constructor(max = 6, lowMax = Math.max(1, Math.floor(max / 2))) {
    if (!(max >= 1)) throw new TypeError(`concurrency must be at least 1, not ${max}`);
    this.max = max;
    this.lowMax = Math.min(lowMax, max);
    this.active = 0;
    this.activeLow = 0;
    this.maxActive = 0;  // the most requests ever in flight at once
    this.waiting = [];   // { ticket, grant, reject, signal, onAbort }
  }

  acquire(ticket = { priority: 'high' }, signal) {
    return new Promise((grant, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const waiter = { ticket, grant, reject, signal, onAbort: null };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.waiting.indexOf(waiter);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiting.push(waiter);
      this.pump();
    });
  }

  pump() {
    while (this.active < this.max && this.waiting.length) {
      let i = this.waiting.findIndex((w) => w.ticket.priority !== 'low');
      if (i < 0) {
        if (this.activeLow >= this.lowMax) return;
        i = 0;
      }
      const [w] = this.waiting.splice(i, 1);
      w.signal?.removeEventListener('abort', w.onAbort);
      const low = w.ticket.priority === 'low';
      this.active++;
      if (low) this.activeLow++;
      this.maxActive = Math.max(this.maxActive, this.active);
      let released = false;
      w.grant(() => {
        if (released) return;
        released = true;
        this.active--;
        if (low) this.activeLow--;
        this.pump();
      });
    }
  }
}
