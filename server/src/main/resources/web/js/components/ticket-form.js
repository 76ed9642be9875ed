// A ticket type's form (BIZ-2): the inputs of its admin-designed fields, used by the console's tickets page and the desk's
// call panel when a ticket is opened from a call.

/** The inputs of a ticket type's form (BIZ-2); values by field key. */
export const TicketForm = {
  props: { fields: Array, values: Object, errors: Object, prefix: String },
  template: `
    <template v-for="f in fields" :key="f.key">
      <form-field :label="f.label" :required="!!f.required" :error="errors['form.' + f.key]" :testid="prefix + '-' + f.key + '-error'"
                  :span="f.type === 'text' || f.type === 'multiple'">
        <select v-if="f.type === 'single'" v-model="values[f.key]" :data-testid="prefix + '-' + f.key">
          <option value="">{{ t('common.none') }}</option><option v-for="o in f.options" :key="o" :value="o">{{ o }}</option></select>
        <div v-else-if="f.type === 'multiple'" style="display:flex;flex-wrap:wrap;gap:12px">
          <label v-for="o in f.options" :key="o" class="check"><input type="checkbox" :value="o" v-model="values[f.key]"
            :data-testid="prefix + '-' + f.key + '-' + o"> {{ o }}</label></div>
        <input v-else :type="f.type === 'number' ? 'number' : f.type === 'datetime' ? 'datetime-local' : 'text'" step="any"
               v-model="values[f.key]" :data-testid="prefix + '-' + f.key">
      </form-field>
    </template>`,
};

export function blankValues(fields, from) {
  const v = {};
  for (const f of fields || []) {
    const x = from ? from[f.key] : undefined;
    v[f.key] = f.type === 'multiple' ? (Array.isArray(x) ? x.slice() : []) : (x === undefined || x === null ? '' : String(x));
  }
  return v;
}

export function cleanValues(fields, values) {
  const out = {};
  for (const f of fields || []) {
    const v = values[f.key];
    if (v === '' || v === null || v === undefined || (Array.isArray(v) && !v.length)) continue;
    out[f.key] = f.type === 'number' ? Number(v) : v;
  }
  return out;
}
