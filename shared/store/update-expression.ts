/**
 * One UpdateItem's expressions, built from their clauses: the store's methods write each clause
 * with its placeholders and the values it uses, and never a name map. A `#word` placeholder stands
 * for the attribute `word` unless `names` says otherwise (`#rn` for a refund's refundNo); the names
 * and values sent are exactly those the expressions use (DynamoDB refuses any other).
 *
 *   const u = new UpdateExpression()
 *     .set('#status = :to', { ':to': 'PAY_COMPLETE' })
 *     .remove('#dueShard', '#dueAt')
 *     .when('#status IN (:from0)', { ':from0': 'PAY_STANDBY' });
 *   new UpdateCommand({ TableName, Key, ...u.build() })
 */

const NAME = /#[A-Za-z0-9_]+/g;
const VALUE = /:[A-Za-z0-9_]+/g;

/** What an UpdateCommand takes of it. */
export interface UpdateExpressions {
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

export class UpdateExpression {
  private readonly sets: string[] = [];
  private readonly removes: string[] = [];
  private readonly adds: string[] = [];
  private readonly conditions: string[] = [];
  private readonly aliases: Record<string, string> = {};
  private readonly vals: Record<string, unknown> = {};

  /** A `SET` clause (`#a = :v`, `#a = if_not_exists(#a, :zero) + :n`, …) and the values it uses. */
  set(clause: string, values: Record<string, unknown> = {}): this {
    this.sets.push(clause);
    return this.values(values);
  }

  /**
   * A `SET` of each field of `fields` that is defined, its placeholders made from its name
   * (`#f_status = :f_status`): under `under` when given (`#endpoints.#epId.#f_url`), and with
   * `keep`, written only where the item has none yet (`if_not_exists`).
   */
  setFields(fields: Record<string, unknown>, o: { under?: string; keep?: boolean } = {}): this {
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      const path = o.under === undefined ? `#f_${k}` : `${o.under}.#f_${k}`;
      this.set(o.keep === true ? `${path} = if_not_exists(${path}, :f_${k})` : `${path} = :f_${k}`, { [`:f_${k}`]: v }).names({ [`#f_${k}`]: k });
    }
    return this;
  }

  /** `REMOVE` paths. */
  remove(...paths: string[]): this {
    this.removes.push(...paths);
    return this;
  }

  /** An `ADD` clause (`#n :one`) and the values it uses. */
  add(clause: string, values: Record<string, unknown> = {}): this {
    this.adds.push(clause);
    return this.values(values);
  }

  /** A condition the item must meet (all of them, ANDed) and the values it uses. */
  when(condition: string, values: Record<string, unknown> = {}): this {
    this.conditions.push(condition);
    return this.values(values);
  }

  /** Placeholders that stand for another attribute than their own name: `{ '#rn': refundNo }`. */
  names(aliases: Record<string, string>): this {
    Object.assign(this.aliases, aliases);
    return this;
  }

  /** Values the clauses use (a value no clause uses is not sent). */
  values(values: Record<string, unknown>): this {
    Object.assign(this.vals, values);
    return this;
  }

  /** A copy to add to: the same clauses, names and values, and the same conditions unless `conditions` is false. */
  copy(conditions = true): UpdateExpression {
    const c = new UpdateExpression();
    c.sets.push(...this.sets);
    c.removes.push(...this.removes);
    c.adds.push(...this.adds);
    if (conditions) c.conditions.push(...this.conditions);
    return c.names(this.aliases).values(this.vals);
  }

  /** The conditions as one expression (`a AND b`); '' when there is none. */
  condition(): string {
    return this.conditions.join(' AND ');
  }

  build(): UpdateExpressions {
    const update = [
      ...(this.sets.length > 0 ? [`SET ${this.sets.join(', ')}`] : []),
      ...(this.removes.length > 0 ? [`REMOVE ${this.removes.join(', ')}`] : []),
      ...(this.adds.length > 0 ? [`ADD ${this.adds.join(', ')}`] : []),
    ].join(' ');
    const condition = this.condition();
    const text = `${update} ${condition}`;
    const names: Record<string, string> = {};
    for (const n of text.match(NAME) ?? []) names[n] = this.aliases[n] ?? n.slice(1);
    const values: Record<string, unknown> = {};
    for (const v of text.match(VALUE) ?? []) {
      if (!(v in this.vals)) throw new Error(`no value for ${v} in ${text}`);
      values[v] = this.vals[v];
    }
    return {
      UpdateExpression: update,
      ...(condition !== '' ? { ConditionExpression: condition } : {}),
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    };
  }
}
