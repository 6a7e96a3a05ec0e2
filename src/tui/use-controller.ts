import { useEffect, useState } from 'react';
import type { Controller } from './controller.js';

/**
 * Re-render when the controller changes, at most `maxFps` times a second: training notifies
 * after every slice, far more often than a terminal can usefully redraw.
 */
export function useController(controller: Controller, maxFps = 30): void {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const interval = 1000 / maxFps;
    let last = 0;
    let timer: NodeJS.Timeout | null = null;
    const bump = (): void => {
      last = performance.now();
      setVersion((v) => v + 1);
    };
    const unsubscribe = controller.subscribe(() => {
      if (timer !== null) return;
      const wait = last + interval - performance.now();
      if (wait <= 0) bump();
      else
        timer = setTimeout(() => {
          timer = null;
          bump();
        }, wait);
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [controller, maxFps]);
}
