'use client';
/**
 * Submits the enclosing GET form when any control changes, so filters apply at once while the
 * URL stays the single source of state. Without JavaScript the form's Apply button does the same.
 */
import { useEffect, useRef } from 'react';

export function AutoSubmit() {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const form = ref.current?.closest('form');
    if (!form) return;
    const onChange = () => form.requestSubmit();
    form.addEventListener('change', onChange);
    return () => form.removeEventListener('change', onChange);
  }, []);
  return <span ref={ref} hidden />;
}
