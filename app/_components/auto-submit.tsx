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
    // All strategies ticked means "all": leave them out of the URL, so strategies that appear later
    // (another version, the pending toggle) are not filtered away by an explicit list.
    const onFormData = (e: FormDataEvent) => {
      const boxes = [...form.querySelectorAll<HTMLInputElement>('input[type=checkbox][name=strategy]')];
      if (boxes.length > 0 && boxes.every((b) => b.checked)) e.formData.delete('strategy');
    };
    form.addEventListener('change', onChange);
    form.addEventListener('formdata', onFormData);
    return () => {
      form.removeEventListener('change', onChange);
      form.removeEventListener('formdata', onFormData);
    };
  }, []);
  return <span ref={ref} hidden />;
}
