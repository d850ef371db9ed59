<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>About</name>
    <message>
        <location filename="../../desktop/about.py" line="26" />
        <source>Version:</source>
        <translation>版本：</translation>
    </message>
    <message>
        <location filename="../../desktop/about.py" line="27" />
        <source>Protocol:</source>
        <translation>协议：</translation>
    </message>
    <message>
        <location filename="../../desktop/about.py" line="28" />
        <source>%1 (speaks %2)</source>
        <translation>%1（支持 %2）</translation>
    </message>
    <message>
        <location filename="../../desktop/about.py" line="29" />
        <source>Qt / PySide6:</source>
        <translation>Qt / PySide6：</translation>
    </message>
    <message>
        <location filename="../../desktop/about.py" line="32" />
        <location filename="../../desktop/about.py" line="36" />
        <source>Hub:</source>
        <translation>平台：</translation>
    </message>
    <message>
        <location filename="../../desktop/about.py" line="32" />
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location filename="../../desktop/about.py" line="34" />
        <source>unknown (older hub)</source>
        <translation>未知（旧版平台）</translation>
    </message>
    <message>
        <location filename="../../desktop/about.py" line="37" />
        <source>Hub name:</source>
        <translation>平台名称：</translation>
    </message>
    <message>
        <location filename="../../desktop/about.py" line="38" />
        <source>Hub version:</source>
        <translation>平台版本：</translation>
    </message>
    <message>
        <location filename="../../desktop/about.py" line="39" />
        <source>%1, protocol %2</source>
        <translation>%1，协议 %2</translation>
    </message>
    <message>
        <location filename="../../desktop/about.py" line="46" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../desktop/about.py" line="47" />
        <source>About GridCC…</source>
        <translation>关于 GridCC…</translation>
    </message>
    <message>
        <location filename="../../desktop/about.py" line="65" />
        <source>an unknown version</source>
        <translation>未知版本</translation>
    </message>
    <message>
        <location filename="../../desktop/about.py" line="66" />
        <source>This console and the hub speak different protocol versions</source>
        <translation>本控制台与平台的通信协议版本不一致</translation>
    </message>
    <message>
        <location filename="../../desktop/about.py" line="69" />
        <source>The hub speaks protocol %1, this console %2. Ask the duty engineer to upgrade the hub.</source>
        <translation>平台使用协议 %1，本控制台使用协议 %2。请联系值班工程师升级平台。</translation>
    </message>
    <message>
        <location filename="../../desktop/about.py" line="73" />
        <source>The hub speaks protocol %1, this console %2. Install the console release that matches the hub.</source>
        <translation>平台使用协议 %1，本控制台使用协议 %2。请安装与平台匹配的控制台版本。</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../widgets/common/about.py" line="20" />
        <source>About GridCC</source>
        <translation>关于 GridCC</translation>
    </message>
    <message>
        <location filename="../../widgets/common/about.py" line="22" />
        <source>GridCC · grid governance command centre</source>
        <translation>GridCC · 网格化服务管理指挥中心</translation>
    </message>
    <message>
        <location filename="../../widgets/common/about.py" line="32" />
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="73" />
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="82" />
        <source>%1 · case %2</source>
        <translation>%1 · 事件 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="83" />
        <source>Case %1</source>
        <translation>事件 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="137" />
        <source>Ctrl+Enter sends</source>
        <translation>按 Ctrl+Enter 提交</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="161" />
        <source>At most %1 characters, now %2</source>
        <translation>最多 %1 字，当前 %2 字</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <location filename="../../desktop/console/actions.py" line="34" />
        <source>Urged %1/%2 today</source>
        <translation>今日已催办 %1/%2 次</translation>
    </message>
    <message>
        <location filename="../../desktop/console/actions.py" line="41" />
        <source>All %1 urges of the day used; next urge possible at %2</source>
        <translation>今日 %1 次催办已用完，%2 后可再次催办</translation>
    </message>
    <message>
        <location filename="../../desktop/console/actions.py" line="45" />
        <source>Less than %1 minutes since the last urge; next urge possible at %2</source>
        <translation>距上次催办不足 %1 分钟，%2 后可再次催办</translation>
    </message>
    <message>
        <location filename="../../desktop/console/actions.py" line="55" />
        <source>%1 (clock already running)</source>
        <translation>%1（已在计时）</translation>
    </message>
    <message>
        <location filename="../../desktop/console/actions.py" line="100" />
        <source>Extended %1/%2 times</source>
        <translation>已延期 %1/%2 次</translation>
    </message>
    <message>
        <location filename="../../desktop/console/actions.py" line="108" />
        <source>Someone changed this case first; it now shows the latest version. Check it and try again.</source>
        <translation>该事件已被他人更新，现已显示最新内容，请核对后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/console/actions.py" line="112" />
        <source>You may not do this: the case is outside your jurisdiction or your role.</source>
        <translation>无权操作：该事件不在您的辖区内，或超出您的角色权限。</translation>
    </message>
    <message>
        <location filename="../../desktop/console/actions.py" line="116" />
        <source>This step is not possible in the case's current state.</source>
        <translation>事件当前状态下不能执行此操作。</translation>
    </message>
    <message>
        <location filename="../../desktop/console/actions.py" line="120" />
        <source>Some information is missing or wrong: %1</source>
        <translation>信息不完整或有误：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/console/actions.py" line="122" />
        <source>Too soon: this case can be urged again in %1 minutes.</source>
        <translation>催办过于频繁：%1分钟后可再次催办。</translation>
    </message>
    <message>
        <location filename="../../desktop/console/actions.py" line="124" />
        <source>The case no longer exists on the hub.</source>
        <translation>该事件在平台上已不存在。</translation>
    </message>
    <message>
        <location filename="../../desktop/console/actions.py" line="126" />
        <source>The limit for this action has been reached.</source>
        <translation>该操作已达次数上限。</translation>
    </message>
    <message>
        <location filename="../../desktop/console/actions.py" line="128" />
        <source>Photos are missing: %1. Attach them first.</source>
        <translation>缺少所需照片：%1。请先上传。</translation>
    </message>
    <message>
        <location filename="../../desktop/console/actions.py" line="137" />
        <source>The hub refused: %1</source>
        <translation>平台拒绝了操作：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/console/loop_actions.py" line="30" />
        <source>Call %1</source>
        <translation>回访 %1</translation>
    </message>
</context>
<context>
    <name>AlarmEntry</name>
    <message>
        <location filename="../../widgets/console/alerts.py" line="50" />
        <source>Click to open the case</source>
        <translation>点击打开该事件</translation>
    </message>
    <message>
        <location filename="../../widgets/console/alerts.py" line="58" />
        <source>Acknowledge</source>
        <translation>确认知悉</translation>
    </message>
    <message>
        <location filename="../../widgets/console/alerts.py" line="66" />
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <location filename="../../widgets/console/alerts.py" line="92" />
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
</context>
<context>
    <name>AlarmList</name>
    <message>
        <location filename="../../widgets/console/alerts.py" line="151" />
        <source>No unacknowledged alarms</source>
        <extracomment>The name the console used before the alarm list replaced the overlay toasts.</extracomment>
        <translation>暂无未确认告警</translation>
    </message>
    <message>
        <location filename="../../widgets/console/alerts.py" line="251" />
        <source>Alarms: %1</source>
        <translation>未确认告警：%1</translation>
    </message>
</context>
<context>
    <name>ApproveDialog</name>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="38" />
        <source>Note (optional)</source>
        <translation>批示（可选）</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="170" />
        <source>Handler</source>
        <translation>承办人</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="200" />
        <source>Loading the department's people…</source>
        <translation>正在加载本部门人员…</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="202" />
        <source>No one in the department to assign to</source>
        <translation>本部门暂无可指派人员</translation>
    </message>
</context>
<context>
    <name>CallbackDialog</name>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="70" />
        <source>What the citizen said</source>
        <translation>群众意见</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="83" />
        <source>Dissatisfied reopens the case: enter why</source>
        <translation>不满意将重办，请填写原因</translation>
    </message>
</context>
<context>
    <name>CaseDetail</name>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="91" />
        <source>Case ID</source>
        <extracomment>Buttons in display order; REPORT and the SLA clock actions are not a user's to take here. Labels of Case fields; a field missing here is still shown, under its attribute name.</extracomment>
        <translation>事件编号</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="92" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="93" />
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="94" />
        <source>Category</source>
        <translation>事件类别</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="95" />
        <location filename="../../widgets/console/case_detail.py" line="144" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="96" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="97" />
        <source>Description</source>
        <translation>事件描述</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="98" />
        <source>Source</source>
        <translation>事件来源</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="99" />
        <source>Reported by</source>
        <translation>上报人</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="100" />
        <source>Reported at</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="101" />
        <source>Owning level</source>
        <translation>责任层级</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="102" />
        <source>Department</source>
        <translation>责任部门</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="103" />
        <source>Accepted at</source>
        <translation>立案时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="104" />
        <source>Dispatched at</source>
        <translation>派遣时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="105" />
        <source>Resolved at</source>
        <translation>处置完成时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="106" />
        <source>Closed at</source>
        <translation>结案时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="107" />
        <source>Updated at</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="108" />
        <source>Time limit</source>
        <translation>处置时限</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="109" />
        <source>Deadline</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="110" />
        <source>Warning at</source>
        <translation>预警时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="111" />
        <source>SLA state</source>
        <translation>时限状态</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="112" />
        <source>Suspended at</source>
        <translation>挂账时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="113" />
        <source>Time left when suspended</source>
        <translation>挂账时剩余时限</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="114" />
        <source>Extensions</source>
        <translation>延期次数</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="115" />
        <source>Rework count</source>
        <translation>返工次数</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="116" />
        <source>Returns</source>
        <translation>退回次数</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="117" />
        <source>Urge count</source>
        <translation>催办次数</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="118" />
        <source>Last urged at</source>
        <translation>最近催办时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="119" />
        <source>Urges in the last day</source>
        <translation>近一日催办</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="120" />
        <source>Supervision</source>
        <translation>督办</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="121" />
        <source>Merged into</source>
        <translation>合并至</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="122" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="123" />
        <source>Alert seen by</source>
        <translation>告警确认人</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="124" />
        <location filename="../../widgets/console/history_text.py" line="78" />
        <source>Closed on time</source>
        <translation>按期结案</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="125" />
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="126" />
        <source>Photos and documents</source>
        <translation>照片和文件</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="127" />
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="128" />
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="129" />
        <location filename="../../widgets/console/loop_detail.py" line="33" />
        <source>Caller</source>
        <translation>诉求人</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="130" />
        <location filename="../../widgets/console/loop_detail.py" line="34" />
        <source>Caller's phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="131" />
        <location filename="../../widgets/console/loop_detail.py" line="35" />
        <source>12345 ticket</source>
        <translation>12345 工单号</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="132" />
        <location filename="../../widgets/console/loop_detail.py" line="36" />
        <source>Filing condition</source>
        <translation>立案条件</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="139" />
        <source>Province</source>
        <translation>省</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="140" />
        <source>City</source>
        <translation>市</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="141" />
        <source>District</source>
        <translation>区</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="142" />
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="143" />
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="147" />
        <source>%1 natural hours</source>
        <translation>%1自然小时</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="148" />
        <source>%1 working hours</source>
        <translation>%1工作时</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="149" />
        <source>%1 working days</source>
        <translation>%1工作日</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="168" />
        <source>Level %1 · due %2 · %3</source>
        <extracomment>Who reports from which source (grid workers and residents' meetings through the grid worker).</extracomment>
        <translation>%1级督办 · 期限 %2 · %3</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="171" />
        <source>%1
Reply (%2): %3</source>
        <translation>%1
反馈（%2）：%3</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="173" />
        <source>%1
Reply: %2</source>
        <translation>%1
反馈：%2</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="185" />
        <source>%1 (me)</source>
        <translation>%1（我）</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="189" />
        <source>%1 duty officer</source>
        <translation>%1值班员</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="198" />
        <source>Grid worker of %1</source>
        <translation>%1网格员</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="244" />
        <source>%1 of 2</source>
        <translation>%1/2</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="258" />
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="259" />
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="264" />
        <source>Elderly living alone</source>
        <translation>独居老人</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="265" />
        <source>Disabled</source>
        <translation>残疾人</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="266" />
        <source>Left-behind children</source>
        <translation>留守儿童</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="267" />
        <source>Low-income households</source>
        <translation>低保户</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="268" />
        <source>Veterans</source>
        <translation>退役军人</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="281" />
        <source>%1 households · %2 residents · %3 buildings · %4 shops · %5 km²</source>
        <translation>%1户 · %2人 · %3栋楼 · %4家商户 · %5平方公里</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="330" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="330" />
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="330" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="330" />
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="339" />
        <source>Grid portrait</source>
        <translation>网格画像</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="476" />
        <source>No case selected</source>
        <translation>未选择事件</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="483" />
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <location filename="../../widgets/console/case_detail.py" line="524" />
        <source>No portrait for this grid</source>
        <translation>暂无网格画像</translation>
    </message>
    <message>
        <location filename="../../widgets/console/history_text.py" line="67" />
        <source>To %1</source>
        <translation>派往%1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/history_text.py" line="72" />
        <source>Verified</source>
        <translation>核实通过</translation>
    </message>
    <message>
        <location filename="../../widgets/console/history_text.py" line="73" />
        <source>Not verified</source>
        <translation>核实未通过</translation>
    </message>
    <message>
        <location filename="../../widgets/console/history_text.py" line="79" />
        <source>Closed late</source>
        <translation>超期结案</translation>
    </message>
    <message>
        <location filename="../../widgets/console/history_text.py" line="85" />
        <source>Now owned by: %1</source>
        <translation>现由%1负责</translation>
    </message>
    <message>
        <location filename="../../widgets/console/history_text.py" line="104" />
        <source>Into case %1</source>
        <extracomment>detail key → its phrase, in the order they are joined. ``merged_into`` repeats ``parent_id``.</extracomment>
        <translation>合并至 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/history_text.py" line="105" />
        <source>Level %1 supervision</source>
        <translation>%1级督办</translation>
    </message>
    <message>
        <location filename="../../widgets/console/history_text.py" line="106" />
        <location filename="../../widgets/console/loop_detail.py" line="57" />
        <source>due %1</source>
        <extracomment>Loop fields shown right after the department (where an operator looks), in this order.</extracomment>
        <translation>期限 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/history_text.py" line="108" />
        <source>Extension %1 of 2</source>
        <translation>第%1次延期（共2次）</translation>
    </message>
    <message>
        <location filename="../../widgets/console/history_text.py" line="109" />
        <source>deadline %1</source>
        <translation>截止 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/history_text.py" line="110" />
        <source>Rework no. %1</source>
        <translation>第%1次返工</translation>
    </message>
    <message>
        <location filename="../../widgets/console/history_text.py" line="112" />
        <source>12345 ticket %1</source>
        <translation>12345 工单 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/history_text.py" line="113" />
        <source>Filing condition: %1</source>
        <translation>立案条件：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="18" />
        <source>Current step</source>
        <extracomment>Labels of the loop's Case fields (context CaseDetail, like the others).</extracomment>
        <translation>当前环节</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="19" />
        <source>Step warning at</source>
        <translation>环节预警时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="20" />
        <source>Step clock</source>
        <translation>环节时限状态</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="21" />
        <source>Steps run late</source>
        <translation>超时环节</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="22" />
        <source>Request</source>
        <translation>审批事项</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="23" />
        <source>Suspended until</source>
        <translation>挂账至</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="24" />
        <source>Assisting departments</source>
        <translation>协办部门</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="25" />
        <source>Callback</source>
        <translation>回访</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="26" />
        <source>Reopened</source>
        <translation>重办次数</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="27" />
        <source>Handler</source>
        <translation>承办人</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="28" />
        <source>Assigned at</source>
        <translation>指派时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="29" />
        <source>Sign by</source>
        <translation>签收时限</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="30" />
        <source>Signed at</source>
        <translation>签收时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="31" />
        <source>Sign warning at</source>
        <translation>签收预警时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="32" />
        <source>Sign clock</source>
        <translation>签收时限状态</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="61" />
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="62" />
        <source>overdue %1</source>
        <translation>超期 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="109" />
        <source>%1: reported (%2)</source>
        <translation>%1：已反馈（%2）</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="111" />
        <source>%1: signed, feedback due</source>
        <translation>%1：已签收，待反馈</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="112" />
        <source>%1: not yet signed</source>
        <translation>%1：未签收</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="127" />
        <source>%1 approved</source>
        <translation>%1已批准</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="129" />
        <source>%1 refused</source>
        <translation>%1已驳回</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="131" />
        <source>asks for %1</source>
        <translation>申请%1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_detail.py" line="138" />
        <source>assisted by %1</source>
        <translation>协办：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_steps.py" line="32" />
        <source>Reported</source>
        <translation>上报</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_steps.py" line="33" />
        <source>Accepted</source>
        <translation>立案</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_steps.py" line="35" />
        <source>Dispatched</source>
        <translation>派遣</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_steps.py" line="37" />
        <source>Handling</source>
        <translation>处置</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_steps.py" line="39" />
        <source>Verifying</source>
        <translation>核实</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_steps.py" line="41" />
        <source>Closed</source>
        <translation>结案</translation>
    </message>
</context>
<context>
    <name>CategoryMixChart</name>
    <message>
        <location filename="../../widgets/common/charts.py" line="191" />
        <source>Open cases by category</source>
        <translation>在办事件类别构成</translation>
    </message>
    <message>
        <location filename="../../widgets/common/charts.py" line="203" />
        <source>Other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>Charts</name>
    <message>
        <location filename="../../widgets/common/charts.py" line="145" />
        <source>No open cases</source>
        <translation>暂无在办事件</translation>
    </message>
</context>
<context>
    <name>ChildrenChart</name>
    <message>
        <location filename="../../widgets/common/charts.py" line="214" />
        <source>Open cases by area</source>
        <translation>下级在办事件对比</translation>
    </message>
    <message>
        <location filename="../../widgets/common/charts.py" line="215" />
        <source>No lower level: a grid is the smallest area</source>
        <translation>网格是最小单元，没有下级</translation>
    </message>
</context>
<context>
    <name>CoDispatchDialog</name>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="224" />
        <source>Assisting (optional)</source>
        <translation>协办部门（可选）</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="236" />
        <source>The lead department cannot also assist</source>
        <translation>主办部门不能同时协办</translation>
    </message>
</context>
<context>
    <name>ConnectProblem</name>
    <message>
        <location filename="../../widgets/console/connect_problem.py" line="24" />
        <source>GridCC · not connected</source>
        <translation>GridCC · 未连接</translation>
    </message>
    <message>
        <location filename="../../widgets/console/connect_problem.py" line="27" />
        <source>Cannot reach the command centre hub</source>
        <translation>无法连接指挥中心平台</translation>
    </message>
    <message>
        <location filename="../../widgets/console/connect_problem.py" line="30" />
        <source>The console opens as soon as the hub answers. Check the network or ask the duty engineer whether the hub is running.</source>
        <translation>平台一有应答，控制台即自动打开。请检查网络，或联系值班工程师确认平台是否在运行。</translation>
    </message>
    <message>
        <location filename="../../widgets/console/connect_problem.py" line="34" />
        <source>Hub: %1</source>
        <translation>平台地址：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/connect_problem.py" line="41" />
        <source>Retry now</source>
        <translation>立即重试</translation>
    </message>
    <message>
        <location filename="../../widgets/console/connect_problem.py" line="44" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../widgets/console/connect_problem.py" line="77" />
        <source>Retrying in %1 s</source>
        <translation>%1 秒后自动重试</translation>
    </message>
    <message>
        <location filename="../../widgets/console/connect_problem.py" line="91" />
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
</context>
<context>
    <name>Console</name>
    <message>
        <location filename="../../desktop/console/controller.py" line="61" />
        <source>%1 · reported %2</source>
        <translation>%1 · %2 上报</translation>
    </message>
    <message>
        <location filename="../../desktop/console/controller.py" line="244" />
        <source>New %1 case</source>
        <extracomment>A refusal or failure explained in words (also shown in a message box unless ``quiet``).</extracomment>
        <translation>新的%1事件</translation>
    </message>
    <message>
        <location filename="../../desktop/console/controller.py" line="246" />
        <source>Case overdue</source>
        <translation>事件超期</translation>
    </message>
    <message>
        <location filename="../../desktop/console/controller.py" line="354" />
        <source>%1 is not possible for this case now.</source>
        <translation>该事件当前不能%1。</translation>
    </message>
    <message>
        <location filename="../../desktop/console/controller.py" line="391" />
        <source>Not done</source>
        <translation>未完成</translation>
    </message>
</context>
<context>
    <name>ConsoleMenus</name>
    <message>
        <location filename="../../desktop/console/menus.py" line="86" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="87" />
        <source>Export list as CSV…</source>
        <translation>导出列表为CSV…</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="88" />
        <source>Print list…</source>
        <translation>打印列表…</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="90" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="92" />
        <source>&amp;Case</source>
        <translation>事件(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="96" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="97" />
        <source>Larger text</source>
        <translation>放大文字</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="98" />
        <source>Smaller text</source>
        <translation>缩小文字</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="99" />
        <source>Normal text size</source>
        <translation>默认文字大小</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="102" />
        <source>Light theme</source>
        <translation>浅色主题</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="102" />
        <source>Dark theme</source>
        <translation>深色主题</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="110" />
        <source>Reset panel layout</source>
        <translation>恢复默认面板布局</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="112" />
        <source>&amp;Alerts</source>
        <translation>告警(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="113" />
        <source>Mute alert sound</source>
        <translation>告警静音</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="114" />
        <source>Volume</source>
        <translation>音量</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="128" />
        <source>No case selected</source>
        <translation>未选择事件</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="131" />
        <source>Case %1</source>
        <translation>事件 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="140" />
        <source>Copy case number</source>
        <translation>复制事件编号</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="172" />
        <source>Export list</source>
        <translation>导出列表</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="173" />
        <source>CSV files (*.csv)</source>
        <translation>CSV文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/console/menus.py" line="176" />
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>ConsoleWindow</name>
    <message>
        <location filename="../../desktop/console/window.py" line="72" />
        <source>Assessment &amp;&amp; reports</source>
        <translation>评价/报表</translation>
    </message>
    <message>
        <location filename="../../desktop/console/window.py" line="142" />
        <source>Jurisdiction</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../desktop/console/window.py" line="143" />
        <source>Case</source>
        <translation>事件详情</translation>
    </message>
    <message>
        <location filename="../../desktop/console/window.py" line="146" />
        <source>Alarms</source>
        <translation>告警</translation>
    </message>
</context>
<context>
    <name>DelegateDialog</name>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="103" />
        <source>Hand down to</source>
        <translation>下派至</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="104" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="109" />
        <source>No lower level to hand down to</source>
        <translation>无可下派的层级</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="110" />
        <source>Enter a reason</source>
        <translation>请填写原因</translation>
    </message>
</context>
<context>
    <name>Demo</name>
    <message>
        <location filename="../../desktop/demo.py" line="60" />
        <source>Simulating the last hours… %1%</source>
        <translation>正在模拟最近几小时… %1%</translation>
    </message>
    <message>
        <location filename="../../desktop/demo.py" line="84" />
        <source>Starting the demo city…</source>
        <translation>正在启动演示城市…</translation>
    </message>
</context>
<context>
    <name>Desk</name>
    <message>
        <location filename="../../desktop/console/search.py" line="75" />
        <source>New case…</source>
        <translation>新建事件…</translation>
    </message>
    <message>
        <location filename="../../desktop/console/search.py" line="80" />
        <source>Case search…</source>
        <translation>综合查询…</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="247" />
        <source>Returned: %1</source>
        <translation>退回原因：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="250" />
        <source>Redispatch</source>
        <translation>重新派遣</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="256" />
        <source>Department</source>
        <translation>责任部门</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="258" />
        <source>Deadline</source>
        <translation>处置时限</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="263" />
        <source>Choose a department</source>
        <translation>请选择责任部门</translation>
    </message>
</context>
<context>
    <name>Evidence</name>
    <message>
        <location filename="../../widgets/console/evidence.py" line="38" />
        <source>Before, near</source>
        <translation>上报近景</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="39" />
        <source>Before, far</source>
        <translation>上报远景</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="40" />
        <source>After</source>
        <translation>处置后</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="41" />
        <source>Verification</source>
        <translation>核查</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="42" />
        <source>Document</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="45" />
        <source>waiting to send</source>
        <translation>等待发送</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="46" />
        <source>sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="47" />
        <source>sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="48" />
        <source>refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="53" />
        <source>only JPEG, PNG, WebP photos and PDF files</source>
        <extracomment>Why the hub refused a file, by its code (the hub's English message is the fallback).</extracomment>
        <translation>仅支持 JPEG、PNG、WebP 照片和 PDF 文件</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="54" />
        <source>the file is damaged or cannot be read</source>
        <translation>文件已损坏或无法读取</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="55" />
        <source>the image has too many pixels</source>
        <translation>图片像素过多</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="56" />
        <source>the file is too large</source>
        <translation>文件过大</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="57" />
        <source>today's upload quota is used up</source>
        <translation>今日上传额度已用完</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="58" />
        <source>not allowed for this case</source>
        <translation>无权为该事件上传</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="59" />
        <source>the case is closed</source>
        <translation>事件已结案</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="83" />
        <source>taken %1</source>
        <translation>拍摄于 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="85" />
        <source>no capture time</source>
        <translation>无拍摄时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="87" />
        <source>no position</source>
        <translation>无位置信息</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="88" />
        <source>by %1 at %2</source>
        <translation>%1 于 %2 上传</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="482" />
        <source>attached</source>
        <translation>已上传</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="483" />
        <source>missing</source>
        <translation>缺少</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="487" />
        <source>Photos required</source>
        <translation>所需照片</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="495" />
        <source>Attach the required photos first: %1</source>
        <translation>请先上传照片：%1</translation>
    </message>
</context>
<context>
    <name>EvidenceController</name>
    <message>
        <location filename="../../desktop/console/evidence.py" line="49" />
        <source>This hub has no evidence service</source>
        <extracomment>The step a case in this state waits for, whose evidence the panel asks for.</extracomment>
        <translation>该平台未开启照片服务</translation>
    </message>
</context>
<context>
    <name>EvidencePanel</name>
    <message>
        <location filename="../../widgets/console/evidence.py" line="131" />
        <source>Evidence</source>
        <translation>证据照片</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="152" />
        <source>No photos yet. Drop files here or attach one.</source>
        <translation>暂无照片，可拖入文件或点击添加</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="162" />
        <location filename="../../widgets/console/evidence.py" line="282" />
        <source>Attach file…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="165" />
        <source>Before / after</source>
        <translation>前后对比</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="175" />
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="242" />
        <source>Required before the next step: %1</source>
        <translation>下一步需要：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="283" />
        <source>Photos and documents (*.jpg *.jpeg *.png *.webp *.pdf)</source>
        <translation>照片和文件 (*.jpg *.jpeg *.png *.webp *.pdf)</translation>
    </message>
</context>
<context>
    <name>EvidenceViewer</name>
    <message>
        <location filename="../../widgets/console/evidence.py" line="390" />
        <source>Evidence of case %1</source>
        <translation>事件 %1 的证据照片</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="394" />
        <source>Before</source>
        <translation>处置前</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="395" />
        <source>After</source>
        <translation>处置后</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="407" />
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="408" />
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="409" />
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="413" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../widgets/console/evidence.py" line="451" />
        <source>No photo for this stage yet</source>
        <translation>该环节暂无照片</translation>
    </message>
</context>
<context>
    <name>ExtendDialog</name>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="204" />
        <source>No extension left for this case</source>
        <translation>本事件已无延期次数</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <location filename="../../widgets/common/formatting.py" line="46" />
        <source>%1d %2</source>
        <translation>%1天 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/common/formatting.py" line="57" />
        <source>On time</source>
        <translation>按期结案</translation>
    </message>
    <message>
        <location filename="../../widgets/common/formatting.py" line="59" />
        <source>Late</source>
        <translation>超期结案</translation>
    </message>
    <message>
        <location filename="../../widgets/common/formatting.py" line="62" />
        <source>Clock stopped</source>
        <translation>已挂账停表</translation>
    </message>
    <message>
        <location filename="../../widgets/common/formatting.py" line="70" />
        <source>To accept: %1 left</source>
        <translation>受理剩 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/common/formatting.py" line="71" />
        <source>Acceptance overdue %1</source>
        <translation>受理超时 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/common/formatting.py" line="73" />
        <source>To dispatch: %1 left</source>
        <translation>派遣剩 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/common/formatting.py" line="74" />
        <source>Dispatch overdue %1</source>
        <translation>派遣超时 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/common/formatting.py" line="77" />
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/common/formatting.py" line="78" />
        <source>overdue %1</source>
        <translation>超期 %1</translation>
    </message>
</context>
<context>
    <name>GridPortraitPage</name>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="45" />
        <location filename="../../widgets/gridwork/portrait.py" line="68" />
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="46" />
        <location filename="../../widgets/gridwork/portrait.py" line="69" />
        <source>Residents</source>
        <translation>人口</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="47" />
        <source>Buildings / units</source>
        <translation>楼栋/单元</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="48" />
        <source>Businesses</source>
        <translation>商户</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="49" />
        <location filename="../../widgets/gridwork/portrait.py" line="89" />
        <source>Key places</source>
        <translation>重点场所</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="50" />
        <location filename="../../widgets/gridwork/portrait.py" line="71" />
        <source>Party members</source>
        <translation>党员</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="51" />
        <location filename="../../widgets/gridwork/portrait.py" line="70" />
        <source>Grid workers</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="52" />
        <location filename="../../widgets/gridwork/portrait.py" line="69" />
        <source>Special-care people</source>
        <translation>重点关爱人员</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="55" />
        <source>Cases, 30 days</source>
        <translation>近30天事件</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="56" />
        <source>Open cases</source>
        <translation>在办事件</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="57" />
        <source>Visits, 30 days</source>
        <translation>近30天走访</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="58" />
        <source>Overdue visits</source>
        <translation>逾期未走访</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="59" />
        <source>Meetings this year</source>
        <translation>本年自管会</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="60" />
        <source>Patrols today</source>
        <translation>今日巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="62" />
        <source>Group</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="62" />
        <source>People</source>
        <translation>人数</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="65" />
        <location filename="../../widgets/gridwork/portrait.py" line="68" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="65" />
        <source>Groups</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="65" />
        <source>Care needs</source>
        <translation>关爱需求</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="66" />
        <source>Visit every</source>
        <translation>走访周期</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="66" />
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="66" />
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="67" />
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="68" />
        <source>Grids</source>
        <translation>网格数</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="70" />
        <source>Elderly living alone</source>
        <translation>独居老人</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="85" />
        <source>Grid organisation</source>
        <translation>网格组织</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="87" />
        <source>Party</source>
        <translation>党组织</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="88" />
        <source>Staff</source>
        <translation>网格力量</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="90" />
        <source>Recent work</source>
        <translation>近期工作</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="99" />
        <source>Special-care register</source>
        <translation>重点人群台账</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="129" />
        <source>Register data as of %1</source>
        <translation>台账数据截至 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="130" />
        <source>No register imported</source>
        <translation>尚未导入台账</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="157" />
        <source>(hidden)</source>
        <translation>（无权查看）</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="159" />
        <source>%1 days</source>
        <translation>%1天</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="162" />
        <source>%1 (secretary %2): %3 members, %4 building groups, %5 party households</source>
        <translation>%1（书记 %2）：党员 %3 名，楼栋党小组 %4 个，党员中心户 %5 户</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="165" />
        <source>Grid head %1</source>
        <translation>网格长 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="167" />
        <source>full-time</source>
        <translation>专职</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="167" />
        <source>part-time</source>
        <translation>兼职</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="168" />
        <source>on duty</source>
        <translation>在岗</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="168" />
        <source>off duty</source>
        <translation>不在岗</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="185" />
        <source>%1 visit: %2</source>
        <translation>%1 走访：%2</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="186" />
        <source> → case %1</source>
        <translation> → 事件 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="188" />
        <source>%1 meeting: %2 (%3 opinions, %4 matters)</source>
        <translation>%1 自管会：%2（意见 %3 条，事项 %4 件）</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="191" />
        <source>%1 %2: %3</source>
        <translation>%1 %2：%3</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/portrait.py" line="194" />
        <source>Case %1</source>
        <translation>事件 %1</translation>
    </message>
</context>
<context>
    <name>Gridwork</name>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="10" />
        <source>Elderly living alone</source>
        <translation>独居老人</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="11" />
        <source>Elderly over 80</source>
        <translation>高龄老人</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="12" />
        <source>Disabled</source>
        <translation>残疾人</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="13" />
        <source>Left-behind children</source>
        <translation>留守儿童</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="14" />
        <source>Children in difficulty</source>
        <translation>困境儿童</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="15" />
        <source>Subsistence allowance</source>
        <translation>低保</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="16" />
        <source>Veterans</source>
        <translation>退役军人</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="17" />
        <source>Seriously ill</source>
        <translation>重病患者</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="20" />
        <source>Routine patrol</source>
        <translation>日常巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="21" />
        <source>Ice safety patrol</source>
        <translation>冰面安全巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="22" />
        <source>Flood patrol</source>
        <translation>防汛巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="23" />
        <source>Fire patrol</source>
        <translation>防火巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="26" />
        <source>Resident</source>
        <translation>居民代表</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="27" />
        <source>Grid head</source>
        <translation>网格长</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="28" />
        <source>Grid worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="29" />
        <source>Party member</source>
        <translation>党员</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="30" />
        <source>Property management</source>
        <translation>物业</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="31" />
        <source>Department</source>
        <translation>部门代表</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="32" />
        <source>Volunteer</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="35" />
        <source>School</source>
        <translation>学校</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="36" />
        <source>Clinic</source>
        <translation>医疗点</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="37" />
        <source>Market</source>
        <translation>市场</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="38" />
        <source>Elderly centre</source>
        <translation>养老场所</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="39" />
        <source>Construction site</source>
        <translation>工地</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/labels.py" line="40" />
        <source>Waterway</source>
        <translation>水域</translation>
    </message>
</context>
<context>
    <name>GridworkController</name>
    <message>
        <location filename="../../desktop/console/gridwork.py" line="35" />
        <source>Grid work</source>
        <extracomment>Categories a visit's problem is usually reported under (民生服务).</extracomment>
        <translation>网格工作</translation>
    </message>
    <message>
        <location filename="../../desktop/console/gridwork.py" line="118" />
        <location filename="../../desktop/console/gridwork.py" line="150" />
        <source>Grid work: %1</source>
        <translation>网格工作：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/console/gridwork.py" line="148" />
        <source>The hub refused: %1</source>
        <translation>平台拒绝了操作：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/console/gridwork.py" line="152" />
        <source>Visit logged; case %1 reported</source>
        <translation>走访已登记，已上报事件 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/console/gridwork.py" line="154" />
        <source>Visit logged</source>
        <translation>走访已登记</translation>
    </message>
</context>
<context>
    <name>GridworkPanel</name>
    <message>
        <location filename="../../widgets/gridwork/panel.py" line="32" />
        <source>Grid portrait</source>
        <translation>网格画像</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/panel.py" line="33" />
        <source>Visit queue</source>
        <translation>走访任务</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/panel.py" line="34" />
        <source>Self-management meetings</source>
        <translation>网格自管会</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/panel.py" line="35" />
        <source>Patrols</source>
        <translation>巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/panel.py" line="36" />
        <source>Roster</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/panel.py" line="37" />
        <source>Grid of the selected case</source>
        <translation>所选事件的网格</translation>
    </message>
</context>
<context>
    <name>GridworkStrip</name>
    <message>
        <location filename="../../widgets/gridwork/wall_strip.py" line="24" />
        <source>Overdue visits %1 · visit completion %2 · patrols today %3</source>
        <translation>逾期未走访 %1 · 走访完成率 %2 · 今日巡查 %3</translation>
    </message>
</context>
<context>
    <name>HourlyChart</name>
    <message>
        <location filename="../../widgets/common/charts.py" line="97" />
        <source>Reports per hour</source>
        <extracomment>Bar names longer than this are cut with "…" (long English names would squeeze the bars away).</extracomment>
        <translation>每小时上报量</translation>
    </message>
    <message>
        <location filename="../../widgets/common/charts.py" line="100" />
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../widgets/common/charts.py" line="103" />
        <location filename="../../widgets/common/charts.py" line="127" />
        <source>Yesterday</source>
        <translation>昨日</translation>
    </message>
    <message>
        <location filename="../../widgets/common/charts.py" line="111" />
        <source>Hour</source>
        <translation>时段</translation>
    </message>
    <message>
        <location filename="../../widgets/common/charts.py" line="127" />
        <source>Yesterday: no data</source>
        <translation>昨日：无数据</translation>
    </message>
</context>
<context>
    <name>InjectPanel</name>
    <message>
        <location filename="../../widgets/trainer/inject.py" line="38" />
        <source>Inject a case</source>
        <translation>手动注入事件</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/inject.py" line="53" />
        <source>What the caller says (optional)</source>
        <translation>来电内容（可选）</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/inject.py" line="55" />
        <source>Inject now</source>
        <translation>立即注入</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/inject.py" line="62" />
        <source>Category</source>
        <translation>事件类别</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/inject.py" line="63" />
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/inject.py" line="64" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/inject.py" line="65" />
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/inject.py" line="66" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/inject.py" line="67" />
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/inject.py" line="73" />
        <source>Scheduled in the scenario</source>
        <translation>场景预设注入</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/inject.py" line="77" />
        <source>Injected by hand</source>
        <translation>手动注入记录</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/inject.py" line="120" />
        <source>None: this scenario schedules no injections</source>
        <translation>无：本场景没有预设注入</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/inject.py" line="145" />
        <source>Choose a category and a grid first</source>
        <translation>请先选择事件类别和网格</translation>
    </message>
</context>
<context>
    <name>IntakeController</name>
    <message>
        <location filename="../../desktop/console/intake.py" line="52" />
        <source>Your role may not file cases.</source>
        <translation>您的角色不能登记事件。</translation>
    </message>
    <message>
        <location filename="../../desktop/console/intake.py" line="97" />
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../../desktop/console/intake.py" line="104" />
        <source>Case %1 is filed but could not be merged: %2</source>
        <translation>事件 %1 已登记，但未能合并：%2</translation>
    </message>
    <message>
        <location filename="../../desktop/console/intake.py" line="131" />
        <source>Filed %1 and merged it into %2</source>
        <translation>已登记 %1 并合并到 %2</translation>
    </message>
    <message>
        <location filename="../../desktop/console/intake.py" line="133" />
        <source>Filed %1</source>
        <translation>已登记 %1</translation>
    </message>
</context>
<context>
    <name>IntakeForm</name>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="95" />
        <source>New case</source>
        <extracomment>Sources a person at the console logs (the others come from workers, cameras and meetings).</extracomment>
        <translation>新建事件</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="106" />
        <source>Who called or came in</source>
        <translation>来电/来访人姓名</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="109" />
        <source>e.g. 138 1234 5678</source>
        <translation>例如 138 1234 5678</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="112" />
        <source>12345 ticket number, if any</source>
        <translation>12345 工单号（如有）</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="121" />
        <source>Type a name or code</source>
        <translation>输入名称或编码</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="123" />
        <location filename="../../widgets/console/intake_form.py" line="371" />
        <source>Filing condition</source>
        <translation>立案条件</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="126" />
        <source>Street and number, landmark</source>
        <translation>街道门牌、地标</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="133" />
        <source>Type a grid or community name or code</source>
        <translation>输入网格/社区名称或编码</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="139" />
        <source>What the caller reports</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="145" />
        <source>Case</source>
        <translation>事件编号</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="145" />
        <location filename="../../widgets/console/intake_form.py" line="172" />
        <location filename="../../widgets/console/intake_form.py" line="372" />
        <source>Category</source>
        <translation>事件类别</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="145" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="145" />
        <location filename="../../widgets/console/intake_form.py" line="175" />
        <location filename="../../widgets/console/intake_form.py" line="373" />
        <source>Grid</source>
        <translation>所属网格</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="146" />
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="146" />
        <source>Address or description</source>
        <translation>描述/地址</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="159" />
        <source>File case</source>
        <translation>立案登记</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="160" />
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="162" />
        <source>File and merge into selected</source>
        <translation>登记并合并到所选事件</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="163" />
        <source>Ctrl+Shift+Enter</source>
        <translation>Ctrl+Shift+Enter</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="165" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="168" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="169" />
        <location filename="../../widgets/console/intake_form.py" line="368" />
        <source>Caller</source>
        <translation>诉求人</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="170" />
        <location filename="../../widgets/console/intake_form.py" line="369" />
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="171" />
        <location filename="../../widgets/console/intake_form.py" line="370" />
        <source>12345 ticket</source>
        <translation>12345 工单号</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="174" />
        <location filename="../../widgets/console/intake_form.py" line="374" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="176" />
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="177" />
        <location filename="../../widgets/console/intake_form.py" line="375" />
        <source>Description</source>
        <translation>事件描述</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="253" />
        <source>Not given</source>
        <translation>未选择</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="275" />
        <source>Looking for possible duplicates…</source>
        <translation>正在查找可能重复的事件…</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="292" />
        <source>Possible duplicates appear once category and grid are chosen</source>
        <translation>选择类别和网格后显示可能重复的事件</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="296" />
        <source>Possible duplicates (%1): select one to merge</source>
        <translation>可能重复的事件（%1 件）：选中一件可合并</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="298" />
        <source>No possible duplicates</source>
        <translation>未发现可能重复的事件</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="309" />
        <source>Choose a category from the list.</source>
        <translation>请从列表中选择事件类别。</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="311" />
        <source>Choose the grid where it happened.</source>
        <translation>请选择事发网格。</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="314" />
        <source>The phone number is not valid: 5–20 digits, a leading + and hyphens allowed.</source>
        <translation>联系电话格式不正确：5–20 位数字，可含开头的 + 和连字符。</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="318" />
        <source>A hotline call needs the caller's phone or the 12345 ticket number.</source>
        <translation>热线来电请填写联系电话或 12345 工单号。</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="321" />
        <source>The description is longer than %1 characters.</source>
        <translation>事件描述超过 %1 个字符。</translation>
    </message>
    <message>
        <location filename="../../widgets/console/intake_form.py" line="338" />
        <source>Select the case to merge into.</source>
        <translation>请选择要合并到的事件。</translation>
    </message>
</context>
<context>
    <name>KpiStrip</name>
    <message>
        <location filename="../../widgets/common/kpi_strip.py" line="26" />
        <source>%1 min</source>
        <translation>%1分钟</translation>
    </message>
    <message>
        <location filename="../../widgets/common/kpi_strip.py" line="27" />
        <source>%1 h</source>
        <translation>%1小时</translation>
    </message>
    <message>
        <location filename="../../widgets/common/kpi_strip.py" line="50" />
        <source>Reported today</source>
        <extracomment>One card per indicator of ``domain.indicators`` (today), plus 在办 (open now). Only the two counts of late cases turn red; a rate is never red for cases that are simply not finished yet.</extracomment>
        <translation>今日上报</translation>
    </message>
    <message>
        <location filename="../../widgets/common/kpi_strip.py" line="51" />
        <source>Accepted today</source>
        <translation>今日立案</translation>
    </message>
    <message>
        <location filename="../../widgets/common/kpi_strip.py" line="52" />
        <source>Open</source>
        <translation>在办</translation>
    </message>
    <message>
        <location filename="../../widgets/common/kpi_strip.py" line="53" />
        <source>Due so far today</source>
        <translation>今日应结案</translation>
    </message>
    <message>
        <location filename="../../widgets/common/kpi_strip.py" line="54" />
        <source>On-time closure rate</source>
        <translation>按期结案率</translation>
    </message>
    <message>
        <location filename="../../widgets/common/kpi_strip.py" line="55" />
        <source>Late today</source>
        <translation>今日超期</translation>
    </message>
    <message>
        <location filename="../../widgets/common/kpi_strip.py" line="56" />
        <source>Overdue open</source>
        <translation>超期未结</translation>
    </message>
    <message>
        <location filename="../../widgets/common/kpi_strip.py" line="57" />
        <source>Time to close</source>
        <translation>结案用时</translation>
    </message>
    <message>
        <location filename="../../widgets/common/kpi_strip.py" line="58" />
        <source>Handling time</source>
        <translation>处置用时</translation>
    </message>
    <message>
        <location filename="../../widgets/common/kpi_strip.py" line="59" />
        <source>Supervised today</source>
        <translation>今日督办</translation>
    </message>
    <message>
        <location filename="../../widgets/common/kpi_strip.py" line="60" />
        <source>Solved on the spot</source>
        <translation>就地解决率</translation>
    </message>
</context>
<context>
    <name>LogVisitDialog</name>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="122" />
        <source>Log visit</source>
        <translation>登记走访</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="124" />
        <source>What was found on the visit</source>
        <translation>走访情况</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="125" />
        <source>A problem was found: report a case</source>
        <translation>发现问题，上报事件</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="130" />
        <source>The problem, for the case</source>
        <translation>问题描述（用于立案）</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="135" />
        <source>Person</source>
        <translation>走访对象</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="136" />
        <source>Notes</source>
        <translation>走访记录</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="138" />
        <source>Category</source>
        <translation>事件类别</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="139" />
        <source>Problem</source>
        <translation>问题</translation>
    </message>
</context>
<context>
    <name>LoopText</name>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="249" />
        <source>%1 requested: %2</source>
        <translation>%1申请：%2</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="252" />
        <source>until %1</source>
        <translation>至 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="255" />
        <source>approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="257" />
        <source>refused: %1</source>
        <translation>已驳回：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="259" />
        <source>awaiting approval</source>
        <translation>待审批</translation>
    </message>
</context>
<context>
    <name>Map</name>
    <message>
        <location filename="../../desktop/console/map.py" line="147" />
        <source>Open cases: %1</source>
        <translation>在办事件：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/console/map.py" line="148" />
        <source>Overdue: %1</source>
        <translation>超期：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/console/map.py" line="149" />
        <source>On-time rate today: %1</source>
        <translation>今日按时办结率：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/map/classes.py" line="31" />
        <source>Open cases</source>
        <extracomment>Case point colours by SLA state (index: none, ok, warning, overdue), as ARGB.</extracomment>
        <translation>在办事件</translation>
    </message>
    <message>
        <location filename="../../widgets/map/classes.py" line="32" />
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location filename="../../widgets/map/classes.py" line="33" />
        <source>On-time rate today</source>
        <translation>今日按时办结率</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <location filename="../../widgets/map/panel.py" line="34" />
        <location filename="../../widgets/map/panel.py" line="67" />
        <source>Colour by</source>
        <translation>着色指标</translation>
    </message>
    <message>
        <location filename="../../widgets/map/panel.py" line="36" />
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <location filename="../../widgets/map/panel.py" line="38" />
        <source>Colour every grid instead of the next level down</source>
        <translation>按网格着色，而不是下一级区划</translation>
    </message>
    <message>
        <location filename="../../widgets/map/panel.py" line="40" />
        <source>Cases</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../widgets/map/panel.py" line="43" />
        <source>Heat</source>
        <translation>热力</translation>
    </message>
    <message>
        <location filename="../../widgets/map/panel.py" line="47" />
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../../widgets/map/panel.py" line="51" />
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../../widgets/map/panel.py" line="54" />
        <source>Fit to my jurisdiction</source>
        <translation>显示整个辖区</translation>
    </message>
</context>
<context>
    <name>MeetingLogPanel</name>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="29" />
        <location filename="../../widgets/gridwork/meetings.py" line="50" />
        <source>Meetings held</source>
        <translation>召开自管会</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="30" />
        <location filename="../../widgets/gridwork/meetings.py" line="50" />
        <source>Matters resolved</source>
        <translation>解决事项</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="31" />
        <location filename="../../widgets/gridwork/meetings.py" line="51" />
        <source>Opinions collected</source>
        <translation>收集意见</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="32" />
        <source>Matters raised</source>
        <translation>提出事项</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="33" />
        <source>Matters made cases: closed / all</source>
        <translation>转立案事项：已办结/总数</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="37" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="37" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="37" />
        <source>Topic</source>
        <translation>议题</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="37" />
        <source>Attendees</source>
        <translation>参会人数</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="38" />
        <source>Opinions</source>
        <translation>意见</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="38" />
        <source>Resolved</source>
        <translation>解决</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="38" />
        <source>Raised</source>
        <translation>提出</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="47" />
        <source>Matter</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="47" />
        <source>Case</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="47" />
        <source>Outcome</source>
        <translation>办理结果</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="47" />
        <source>Closed</source>
        <translation>办结时间</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="50" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="52" />
        <source>Meeting record</source>
        <translation>会议记录</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="72" />
        <source>%1, %2</source>
        <translation>%1，%2年</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="105" />
        <source>Grid: %1</source>
        <translation>网格：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="106" />
        <source>Attendees (%1): %2</source>
        <translation>参会人员（%1）：%2</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="107" />
        <source>Departments invited: %1</source>
        <translation>邀请部门：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="108" />
        <source>Opinions collected: %1 · matters resolved at the meeting: %2 · matters raised: %3</source>
        <translation>收集意见 %1 条 · 现场解决 %2 件 · 提出事项 %3 件</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/meetings.py" line="118" />
        <source>Recorded</source>
        <translation>已记录</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="378" />
        <source>ID of the case this one duplicates</source>
        <translation>与本事件重复的主事件编号</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="380" />
        <source>Merge into</source>
        <translation>合并至</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="386" />
        <source>Enter the parent case ID</source>
        <translation>请填写主事件编号</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="388" />
        <source>A case cannot be merged into itself</source>
        <translation>事件不能合并到自身</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="390" />
        <source>No case %1</source>
        <translation>未找到事件 %1</translation>
    </message>
</context>
<context>
    <name>MessageDialog</name>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="214" />
        <source>Message</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="218" />
        <source>Enter a message</source>
        <translation>请填写内容</translation>
    </message>
</context>
<context>
    <name>Names</name>
    <message>
        <location filename="../../widgets/common/names.py" line="74" />
        <source>Reported</source>
        <translation>待受理</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="75" />
        <source>Accepted</source>
        <translation>已立案</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="76" />
        <source>Rejected</source>
        <translation>不予立案</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="77" />
        <source>Merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="78" />
        <source>Self-resolved</source>
        <translation>就地解决</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="79" />
        <source>Dispatched</source>
        <translation>已派遣</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="80" />
        <source>In progress</source>
        <translation>处置中</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="81" />
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="82" />
        <source>Suspended</source>
        <translation>已挂账</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="83" />
        <source>Resolved</source>
        <translation>处置完成</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="84" />
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="88" />
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="89" />
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="90" />
        <source>Critical</source>
        <translation>特急</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="94" />
        <location filename="../../widgets/common/names.py" line="165" />
        <source>Grid worker</source>
        <translation>网格员上报</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="95" />
        <source>Resident</source>
        <translation>群众反映</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="96" />
        <source>12345 hotline</source>
        <translation>12345热线</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="97" />
        <source>Video patrol</source>
        <translation>视频巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="98" />
        <source>Residents' meeting</source>
        <translation>网格自管会</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="102" />
        <source>No clock</source>
        <translation>未计时</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="103" />
        <source>On track</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="104" />
        <source>Warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="105" />
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="109" />
        <source>Report</source>
        <translation>上报</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="110" />
        <source>Accept</source>
        <translation>立案</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="111" />
        <source>Reject</source>
        <translation>不予立案</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="112" />
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="113" />
        <source>Self-resolve</source>
        <translation>就地解决</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="114" />
        <source>Dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="115" />
        <source>Sign for</source>
        <translation>签收</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="116" />
        <location filename="../../widgets/common/names.py" line="143" />
        <source>Return</source>
        <translation>退回</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="117" />
        <source>Resolve</source>
        <translation>处置完成</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="118" />
        <source>Suspend</source>
        <translation>挂账</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="119" />
        <source>Resume</source>
        <translation>恢复处置</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="120" />
        <source>Verify</source>
        <translation>核实</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="121" />
        <source>Supervise</source>
        <translation>督办</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="122" />
        <source>Reply to supervision</source>
        <translation>督办反馈</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="123" />
        <source>Urge</source>
        <translation>催办</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="124" />
        <source>Escalate</source>
        <translation>上报上级</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="125" />
        <source>Extend</source>
        <translation>延期</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="126" />
        <source>Acknowledge</source>
        <translation>确认知悉</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="127" />
        <source>Attach photo</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="128" />
        <source>SLA warning</source>
        <translation>时限预警</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="129" />
        <source>SLA overdue</source>
        <translation>时限超期</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="130" />
        <source>Call back</source>
        <translation>回访</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="131" />
        <source>Request approval</source>
        <translation>提出申请</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="132" />
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="133" />
        <source>Refuse request</source>
        <translation>驳回申请</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="134" />
        <source>Sign as assistant</source>
        <translation>协办签收</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="135" />
        <source>Assistant feedback</source>
        <translation>协办反馈</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="136" />
        <source>Hand down</source>
        <translation>下派</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="137" />
        <source>Assign</source>
        <translation>指派</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="141" />
        <source>Extension</source>
        <translation>延期</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="142" />
        <source>Suspension</source>
        <translation>挂账</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="146" />
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="147" />
        <source>Fairly satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="148" />
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="151" />
        <source>Acceptance</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="152" />
        <source>Dispatching</source>
        <translation>派遣</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="153" />
        <source>Handling</source>
        <translation>处置</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="154" />
        <source>Verification</source>
        <translation>核查</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="155" />
        <source>Signing</source>
        <translation>签收</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="160" />
        <source>Operator</source>
        <translation>值班员</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="161" />
        <source>Supervisor</source>
        <translation>督查员</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="162" />
        <source>Wall display</source>
        <translation>大屏</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="163" />
        <source>Trainer</source>
        <translation>培训师</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="164" />
        <source>Department</source>
        <translation>职能部门</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="166" />
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../widgets/common/names.py" line="167" />
        <source>System</source>
        <translation>系统</translation>
    </message>
</context>
<context>
    <name>PatrolPanel</name>
    <message>
        <location filename="../../widgets/gridwork/patrols.py" line="29" />
        <source>Patrol tasks</source>
        <translation>巡查任务</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/patrols.py" line="30" />
        <location filename="../../widgets/gridwork/patrols.py" line="34" />
        <source>Checked in</source>
        <translation>已打卡</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/patrols.py" line="31" />
        <location filename="../../widgets/gridwork/patrols.py" line="35" />
        <source>Coverage</source>
        <translation>覆盖率</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/patrols.py" line="32" />
        <source>Hazards found</source>
        <translation>发现隐患</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/patrols.py" line="34" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/patrols.py" line="34" />
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/patrols.py" line="35" />
        <source>Hazards</source>
        <translation>隐患</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/patrols.py" line="35" />
        <source>Open</source>
        <translation>未巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/patrols.py" line="39" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/patrols.py" line="39" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/patrols.py" line="39" />
        <source>Patrol</source>
        <translation>巡查项目</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/patrols.py" line="39" />
        <source>Worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/patrols.py" line="40" />
        <source>Notes</source>
        <translation>情况</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/patrols.py" line="54" />
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
</context>
<context>
    <name>QueueTable</name>
    <message>
        <location filename="../../widgets/console/queue_table.py" line="63" />
        <source>Filter: ID, category, grid, text…</source>
        <translation>筛选：编号、类别、网格、内容…</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_table.py" line="92" />
        <source>List held still under the pointer; new changes wait</source>
        <translation>鼠标停在列表上，列表暂停刷新；移开后显示新变化</translation>
    </message>
</context>
<context>
    <name>QueueTableModel</name>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="44" />
        <source>ID</source>
        <translation>事件编号</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="45" />
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="46" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="47" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="48" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="49" />
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="50" />
        <source>Deadline</source>
        <translation>处置时限</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="51" />
        <source>Department</source>
        <translation>责任部门</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="52" />
        <source>Flags</source>
        <translation>督办/催办</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="67" />
        <source>(sending) </source>
        <extracomment>The mark of a case whose command awaits the hub: words, not an emoji (⏳ is an empty box in many CJK fonts). Translated at call time.</extracomment>
        <translation>（发送中）</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="277" />
        <source>Supervised L%1</source>
        <translation>%1级督办</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="279" />
        <source>Urged ×%1</source>
        <translation>催办×%1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="283" />
        <source>%1 to approve</source>
        <translation>%1待审批</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="287" />
        <source>Assist %1/%2</source>
        <translation>协办 %1/%2</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="289" />
        <source>Reopened</source>
        <translation>重办</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_model.py" line="292" />
        <source>Sign overdue</source>
        <translation>签收超时</translation>
    </message>
</context>
<context>
    <name>QueueTabs</name>
    <message>
        <location filename="../../widgets/console/queue_tabs.py" line="18" />
        <source>Intake</source>
        <translation>待受理</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_tabs.py" line="19" />
        <source>To dispatch</source>
        <translation>待派遣</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_tabs.py" line="20" />
        <source>In progress</source>
        <translation>处置中</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_tabs.py" line="21" />
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_tabs.py" line="22" />
        <source>To verify</source>
        <translation>待核实</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_tabs.py" line="23" />
        <source>Warning/Overdue</source>
        <translation>预警/超期</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_tabs.py" line="24" />
        <source>Supervised</source>
        <translation>督办中</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_tabs.py" line="25" />
        <source>Approvals</source>
        <translation>待审批</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_tabs.py" line="26" />
        <source>Callback</source>
        <translation>待回访</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_tabs.py" line="27" />
        <source>My tasks</source>
        <translation>我的待办</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_tabs.py" line="28" />
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../widgets/console/queue_tabs.py" line="86" />
        <source>%1 %2</source>
        <extracomment>Tabs whose non-zero count is shown in the alarm colour.</extracomment>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="181" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="185" />
        <source>Enter a reason</source>
        <translation>请填写原因</translation>
    </message>
</context>
<context>
    <name>ReplayBar</name>
    <message>
        <location filename="../../widgets/trainer/replay_bar.py" line="29" />
        <source>Replay</source>
        <translation>回放</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/replay_bar.py" line="37" />
        <location filename="../../widgets/trainer/replay_bar.py" line="88" />
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/replay_bar.py" line="46" />
        <source>Drag to any moment of the session</source>
        <translation>拖动到本场培训的任一时刻</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/replay_bar.py" line="57" />
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/replay_bar.py" line="88" />
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/replay_bar.py" line="110" />
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/replay_bar.py" line="114" />
        <source>Seeking…</source>
        <translation>正在定位…</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/replay_bar.py" line="116" />
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/replay_bar.py" line="118" />
        <source>Playing at %1</source>
        <translation>正在以 %1 回放</translation>
    </message>
</context>
<context>
    <name>ReplayBox</name>
    <message>
        <location filename="../../widgets/trainer/replay.py" line="21" />
        <source>Replay a finished session</source>
        <translation>回放已结束的培训</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/replay.py" line="29" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/replay.py" line="30" />
        <source>Replay</source>
        <translation>回放</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/replay.py" line="31" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/replay.py" line="44" />
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/replay.py" line="72" />
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/replay.py" line="77" />
        <source>No finished session yet</source>
        <translation>暂无已结束的培训</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/replay.py" line="91" />
        <source>%1 of %2 events replayed</source>
        <translation>已回放 %1 / %2 条事件</translation>
    </message>
</context>
<context>
    <name>ReplayDriver</name>
    <message>
        <location filename="../../desktop/trainer/replay.py" line="57" />
        <source>no events</source>
        <translation>无事件</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/replay.py" line="57" />
        <source>record damaged</source>
        <translation>记录已损坏</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/replay.py" line="164" />
        <source>Seek not done: %1</source>
        <translation>定位未完成：%1</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <location filename="../../desktop/console/reports.py" line="40" />
        <source>Assessment &amp; reports</source>
        <translation>评价/报表</translation>
    </message>
    <message>
        <location filename="../../desktop/console/reports.py" line="73" />
        <source>The hub refused: %1</source>
        <translation>服务器拒绝：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/console/reports.py" line="98" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../desktop/console/reports.py" line="102" />
        <source>Written: %1</source>
        <translation>已导出：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="117" />
        <source>Day</source>
        <translation>日报</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="118" />
        <source>Week</source>
        <translation>周报</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="119" />
        <source>Month</source>
        <translation>月报</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="120" />
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="133" />
        <source>Query</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="134" />
        <source>Export XLSX</source>
        <translation>导出 Excel</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="135" />
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="136" />
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="141" />
        <source>Period</source>
        <translation>统计周期</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="144" />
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="148" />
        <source>Assess by</source>
        <translation>评价对象</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="164" />
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="165" />
        <source>This period</source>
        <translation>本期</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="166" />
        <source>Previous</source>
        <translation>上期</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="230" />
        <source>The last day is before the first</source>
        <translation>结束日期早于开始日期</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="232" />
        <source>Querying the hub…</source>
        <translation>正在向服务器查询…</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="275" />
        <source>%1 assessment score</source>
        <translation>%1综合评价</translation>
    </message>
    <message>
        <location filename="../../widgets/console/reports.py" line="278" />
        <source>As of %1 (Beijing time); %2 units</source>
        <translation>统计截至 %1（北京时间），共 %2 个单位</translation>
    </message>
</context>
<context>
    <name>RequestDialog</name>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="127" />
        <source>Request</source>
        <translation>申请事项</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="131" />
        <source> days</source>
        <translation>天</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="132" />
        <source>Suspend for</source>
        <translation>挂账天数</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="133" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="147" />
        <source>Nothing can be requested now</source>
        <translation>当前无可申请事项</translation>
    </message>
    <message>
        <location filename="../../widgets/console/loop_dialogs.py" line="148" />
        <source>Enter a reason</source>
        <translation>请填写原因</translation>
    </message>
</context>
<context>
    <name>RosterPanel</name>
    <message>
        <location filename="../../widgets/gridwork/roster.py" line="20" />
        <source>Worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/roster.py" line="20" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/roster.py" line="20" />
        <source>Employment</source>
        <translation>用工</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/roster.py" line="21" />
        <source>Duty</source>
        <translation>在岗</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/roster.py" line="21" />
        <source>Cases, 30 days</source>
        <translation>近30天上报事件</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/roster.py" line="21" />
        <source>Visits, 30 days</source>
        <translation>近30天走访</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/roster.py" line="22" />
        <source>Patrols, 30 days</source>
        <translation>近30天巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/roster.py" line="33" />
        <source>full-time</source>
        <translation>专职</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/roster.py" line="33" />
        <source>part-time</source>
        <translation>兼职</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/roster.py" line="34" />
        <source>on duty</source>
        <translation>在岗</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/roster.py" line="34" />
        <source>off duty</source>
        <translation>不在岗</translation>
    </message>
</context>
<context>
    <name>ScoreChart</name>
    <message>
        <location filename="../../widgets/console/reports.py" line="87" />
        <source>No ranked units</source>
        <extracomment>Rows the chart shows (best first). Columns of the unit table on screen and in the PDF (all of them are in the XLSX/CSV).</extracomment>
        <translation>暂无参与排名的单位</translation>
    </message>
</context>
<context>
    <name>Scorecard</name>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="39" />
        <source>Trainee</source>
        <translation>学员</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="40" />
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="41" />
        <source>Waiting now</source>
        <translation>当前待办</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="42" />
        <source>Cases handled</source>
        <translation>处理事件数</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="43" />
        <source>Accepted</source>
        <translation>立案数</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="44" />
        <source>Mean time to accept (min)</source>
        <translation>平均立案用时（分钟）</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="45" />
        <source>Dispatched</source>
        <translation>派遣数</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="46" />
        <source>Mean time to dispatch (min)</source>
        <translation>平均派遣用时（分钟）</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="47" />
        <source>Right department</source>
        <translation>派遣部门正确</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="48" />
        <source>Dispatches</source>
        <translation>派遣次数</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="49" />
        <source>SLA breaches</source>
        <translation>超期事件</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="50" />
        <source>Due</source>
        <translation>应结案数</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="51" />
        <source>On-time closure rate (%)</source>
        <translation>按期结案率（%）</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="52" />
        <source>Urges</source>
        <translation>催办</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="53" />
        <source>Supervisions</source>
        <translation>督办</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="54" />
        <source>Refused (mistakes)</source>
        <translation>被拒操作（失误）</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="55" />
        <source>Conflicts</source>
        <translation>版本冲突</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="56" />
        <source>Requests decided</source>
        <translation>审批数</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="57" />
        <source>Mean time to decide (min)</source>
        <translation>平均审批用时（分钟）</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="58" />
        <source>Callbacks</source>
        <translation>回访数</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="59" />
        <source>Reopened after callback</source>
        <translation>回访重办数</translation>
    </message>
</context>
<context>
    <name>ScorecardPanel</name>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="144" />
        <source>Scorecard (live, from the event log)</source>
        <translation>成绩单（实时，依据事件日志）</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="159" />
        <source>Export CSV…</source>
        <translation>导出CSV…</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/scorecard.py" line="160" />
        <source>Export PDF…</source>
        <translation>导出PDF…</translation>
    </message>
</context>
<context>
    <name>SearchWindow</name>
    <message>
        <location filename="../../widgets/console/search.py" line="58" />
        <source>Case search</source>
        <translation>综合查询</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="65" />
        <source>Beginning of the case number</source>
        <translation>事件编号开头</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="67" />
        <source>Whole number or its last digits</source>
        <translation>完整号码或尾号</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="71" />
        <source>Words of the address or description</source>
        <translation>地址或描述中的文字</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="73" />
        <source>Any category</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="81" />
        <source>Any state</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="82" />
        <source>Open</source>
        <translation>未办结</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="85" />
        <source>Reported between</source>
        <translation>上报时间介于</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="95" />
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="97" />
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="101" />
        <source>Case number</source>
        <translation>事件编号</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="102" />
        <source>Address or text</source>
        <translation>地址/内容</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="103" />
        <location filename="../../widgets/console/search.py" line="123" />
        <source>Category</source>
        <translation>事件类别</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="104" />
        <location filename="../../widgets/console/search.py" line="124" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="105" />
        <source>Caller's phone</source>
        <translation>诉求人电话</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="106" />
        <location filename="../../widgets/console/search.py" line="124" />
        <source>Caller</source>
        <translation>诉求人</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="107" />
        <source>12345 ticket</source>
        <translation>12345 工单号</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="118" />
        <source>Your role sees callers masked</source>
        <translation>您的角色只能看到脱敏的诉求人信息</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="123" />
        <source>Case</source>
        <translation>事件编号</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="123" />
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="123" />
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="124" />
        <source>Address or description</source>
        <translation>描述/地址</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="133" />
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="134" />
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="182" />
        <source>Searching…</source>
        <translation>正在查询…</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="219" />
        <source>%1–%2 of %3</source>
        <translation>第 %1–%2 条，共 %3 条</translation>
    </message>
    <message>
        <location filename="../../widgets/console/search.py" line="222" />
        <source>No case matches</source>
        <translation>没有符合条件的事件</translation>
    </message>
</context>
<context>
    <name>SlaGauge</name>
    <message>
        <location filename="../../widgets/common/charts.py" line="273" />
        <source>Open cases by time limit</source>
        <translation>在办事件时限状态</translation>
    </message>
    <message>
        <location filename="../../widgets/common/charts.py" line="289" />
        <source>On track</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../widgets/common/charts.py" line="289" />
        <source>Warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../widgets/common/charts.py" line="289" />
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location filename="../../widgets/common/charts.py" line="298" />
        <source>No open cases with a time limit</source>
        <translation>暂无计时中的在办事件</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../desktop/app.py" line="99" />
        <source>Stopped while starting.</source>
        <translation>启动中已停止。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="140" />
        <source>Loading the jurisdiction…</source>
        <translation>正在加载辖区…</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../widgets/console/status_bar.py" line="95" />
        <source>Live</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../widgets/console/status_bar.py" line="97" />
        <source>Reconnecting…</source>
        <translation>正在重连…</translation>
    </message>
    <message>
        <location filename="../../widgets/console/status_bar.py" line="99" />
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../widgets/console/status_bar.py" line="101" />
        <source>Resyncing</source>
        <translation>正在重新同步</translation>
    </message>
    <message>
        <location filename="../../widgets/console/status_bar.py" line="103" />
        <source>%1 · %2 commands queued</source>
        <translation>%1 · %2条操作待发送</translation>
    </message>
    <message>
        <location filename="../../widgets/console/status_bar.py" line="121" />
        <source>Offline since %1; data not updated</source>
        <translation>自 %1 起离线，数据未更新</translation>
    </message>
    <message>
        <location filename="../../widgets/console/status_bar.py" line="129" />
        <source>Server time %1</source>
        <translation>服务器时间 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/console/status_bar.py" line="138" />
        <source>Calendar lacks %1</source>
        <translation>日历缺 %1 年节假日</translation>
    </message>
    <message>
        <location filename="../../widgets/console/status_bar.py" line="139" />
        <source>The working calendar has no holidays for %1: time limits there count Monday to Friday</source>
        <translation>工作日历缺少 %1 年的节假日安排：该年时限按周一至周五计算</translation>
    </message>
    <message>
        <location filename="../../widgets/console/status_bar.py" line="147" />
        <source>%1 events/s</source>
        <translation>%1条事件/秒</translation>
    </message>
</context>
<context>
    <name>SuperviseDialog</name>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="280" />
        <source>Level %1</source>
        <translation>%1级</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="281" />
        <source>Level</source>
        <translation>督办级别</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="282" />
        <source>Reason</source>
        <translation>督办原因</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="286" />
        <source> h</source>
        <translation>小时</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="288" />
        <source>Due in</source>
        <translation>办理期限</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="290" />
        <source>Due at</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="301" />
        <source>Enter a reason</source>
        <translation>请填写督办原因</translation>
    </message>
</context>
<context>
    <name>TimeControls</name>
    <message>
        <location filename="../../widgets/trainer/controls.py" line="38" />
        <source>Scenario file…</source>
        <translation>场景文件…</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/controls.py" line="39" />
        <location filename="../../widgets/trainer/controls.py" line="125" />
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/controls.py" line="47" />
        <source>+1 hour</source>
        <translation>快进1小时</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/controls.py" line="48" />
        <source>Next event</source>
        <translation>跳到下一事件</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/controls.py" line="49" />
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/controls.py" line="50" />
        <source>Start the scenario again from its beginning; the finished run is kept for replay</source>
        <translation>从场景开始时刻重新开始；已结束的一轮保留以供回放</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/controls.py" line="64" />
        <source>Scenario</source>
        <translation>场景</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/controls.py" line="69" />
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/controls.py" line="119" />
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/controls.py" line="120" />
        <source>Running at %1</source>
        <translation>运行中 · %1</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/controls.py" line="122" />
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/controls.py" line="123" />
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/controls.py" line="126" />
        <source>Ready: press Start to begin the scenario</source>
        <translation>就绪：按“开始”启动场景</translation>
    </message>
</context>
<context>
    <name>TraineeList</name>
    <message>
        <location filename="../../widgets/trainer/trainees.py" line="40" />
        <source>Trainees</source>
        <translation>学员</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/trainees.py" line="49" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/trainees.py" line="50" />
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/trainees.py" line="51" />
        <location filename="../../widgets/trainer/trainees.py" line="131" />
        <source>Signed in</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/trainees.py" line="52" />
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/trainees.py" line="62" />
        <source>Open console</source>
        <translation>打开值班台</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/trainees.py" line="64" />
        <source>Copy token</source>
        <translation>复制令牌</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/trainees.py" line="67" />
        <source>New trainee's name</source>
        <translation>新学员姓名</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/trainees.py" line="70" />
        <source>Add trainee</source>
        <translation>添加学员</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/trainees.py" line="94" />
        <source>Trainees on other machines: gridcc connect %1 --token TOKEN</source>
        <translation>其他电脑上的学员：gridcc connect %1 --token 令牌</translation>
    </message>
    <message>
        <location filename="../../widgets/trainer/trainees.py" line="131" />
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
</context>
<context>
    <name>Trainer</name>
    <message>
        <location filename="../../desktop/trainer/launch.py" line="44" />
        <source>Starting the training city…</source>
        <translation>正在启动培训城市…</translation>
    </message>
</context>
<context>
    <name>TrainerController</name>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="107" />
        <source>Not done: %1</source>
        <translation>未完成：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="129" />
        <source>Nothing scheduled or critical in the next two days</source>
        <translation>未来两天内没有预设或特急事件</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="131" />
        <source>Jumped to %1</source>
        <translation>已跳到 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="138" />
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="140" />
        <source>Start the scenario again from its beginning? This run is kept for replay.</source>
        <translation>从头重新开始本场景？本轮将保留以供回放。</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="150" />
        <source>Scenario file</source>
        <translation>场景文件</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="151" />
        <source>Scenarios (*.toml)</source>
        <translation>场景 (*.toml)</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="163" />
        <source>Scenario %1 ready at its start; press Start</source>
        <translation>场景 %1 已回到开始时刻，请按“开始”</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="234" />
        <source>Next: %1</source>
        <translation>下一事件：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="235" />
        <source>Next: nothing scheduled or critical soon</source>
        <translation>下一事件：近期无预设或特急事件</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="265" />
        <source>Trainee %1 added</source>
        <translation>已添加学员 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="286" />
        <source>The console did not open: %1</source>
        <translation>值班台未能打开：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="300" />
        <source>Case %1 injected</source>
        <translation>已注入事件 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="311" />
        <location filename="../../desktop/trainer/controller.py" line="324" />
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="331" />
        <source>CSV files (*.csv)</source>
        <translation>CSV文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="331" />
        <source>PDF files (*.pdf)</source>
        <translation>PDF文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/controller.py" line="332" />
        <source>Export the scorecard</source>
        <translation>导出成绩单</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/replay.py" line="71" />
        <source>This session cannot be replayed: it has no events or its record is damaged. Choose another session.</source>
        <translation>该场次无法回放：没有可回放的事件，或记录已损坏。请选择其他场次。</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/replay.py" line="86" />
        <source>Replay · %1</source>
        <translation>回放 · %1</translation>
    </message>
</context>
<context>
    <name>TrainerLabels</name>
    <message>
        <location filename="../../desktop/trainer/labels.py" line="51" />
        <source>(scheduled)</source>
        <translation>（预设）</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/labels.py" line="58" />
        <source>Times run from the report to the trainee's first accept or dispatch, in simulated minutes. Right department: dispatches to the category's default department. Conflicts (someone else changed the case first) are not counted as mistakes.</source>
        <translation>用时从上报起算至学员首次受理或派遣（模拟分钟）。派遣部门正确：派往该类别的默认责任部门。版本冲突（他人先改动了事件）不计为失误。</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/labels.py" line="67" />
        <source>Training scorecard · %1</source>
        <translation>培训成绩单 · %1</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/labels.py" line="73" />
        <source>Scenario: %1 (%2)</source>
        <translation>场景：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/labels.py" line="75" />
        <source>Simulated time: %1 to %2</source>
        <translation>模拟时间：%1 至 %2</translation>
    </message>
    <message>
        <location filename="../../desktop/trainer/labels.py" line="77" />
        <source>Trainees: %1 · printed %2</source>
        <translation>学员：%1 人 · 打印于 %2</translation>
    </message>
</context>
<context>
    <name>TrainerWindow</name>
    <message>
        <location filename="../../desktop/trainer/window.py" line="26" />
        <source>GridCC · Trainer</source>
        <translation>GridCC · 培训师</translation>
    </message>
</context>
<context>
    <name>UrgeDialog</name>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="317" />
        <source>Message</source>
        <translation>催办内容</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="323" />
        <source>Urge limit reached</source>
        <translation>已达催办次数上限</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="324" />
        <source>Enter a message</source>
        <translation>请填写催办内容</translation>
    </message>
</context>
<context>
    <name>VerifyDialog</name>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="337" />
        <source>Passed: close the case</source>
        <translation>核实通过，结案</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="338" />
        <source>Failed: rework</source>
        <translation>核实不通过，返工</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="345" />
        <source>Reason</source>
        <translation>不通过原因</translation>
    </message>
    <message>
        <location filename="../../widgets/console/dialogs.py" line="357" />
        <source>Enter why the verification failed</source>
        <translation>请填写核实不通过的原因</translation>
    </message>
</context>
<context>
    <name>VisitQueuePanel</name>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="45" />
        <source>Overdue visits</source>
        <translation>逾期未走访</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="46" />
        <source>Due within 2 days</source>
        <translation>两日内到期</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="47" />
        <source>Visit completion, 30 days</source>
        <translation>近30天走访完成率</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="48" />
        <source>On time / due</source>
        <translation>按期完成/应访</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="50" />
        <source>Overdue only</source>
        <translation>只看逾期</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="52" />
        <source>Log visit…</source>
        <translation>登记走访…</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="56" />
        <source>Person</source>
        <translation>走访对象</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="56" />
        <source>Groups</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="56" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="56" />
        <source>Due</source>
        <translation>应访时间</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="57" />
        <source>Overdue by</source>
        <translation>逾期</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="57" />
        <source>Worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="61" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="61" />
        <source>Due visits</source>
        <translation>应访次数</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="61" />
        <source>On time</source>
        <translation>按期</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="61" />
        <source>Completion</source>
        <translation>完成率</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="62" />
        <source>Overdue</source>
        <translation>逾期未访</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="68" />
        <source>Visit completion by area or worker</source>
        <translation>走访完成率（分区域/网格员）</translation>
    </message>
    <message>
        <location filename="../../widgets/gridwork/visits.py" line="94" />
        <source>%1 days</source>
        <translation>%1天</translation>
    </message>
</context>
<context>
    <name>Wall</name>
    <message>
        <location filename="../../desktop/wall/controller.py" line="158" />
        <source>Grid governance command center</source>
        <extracomment>Seconds each alarm stays on the band before the next one is shown. Recompute even without changes this often: "today" and "fresh" depend on the time. ... and with changes at most this often: a busy city changes something every tick.</extracomment>
        <translation>网格化服务管理指挥中心</translation>
    </message>
    <message>
        <location filename="../../desktop/wall/controller.py" line="231" />
        <source>Reconnecting…</source>
        <translation>正在重新连接…</translation>
    </message>
    <message>
        <location filename="../../desktop/wall/controller.py" line="233" />
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../desktop/wall/controller.py" line="243" />
        <source>The hub refused the connection: %1</source>
        <translation>平台拒绝连接：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/wall/controller.py" line="246" />
        <source>Connection lost; trying again in %1 s</source>
        <translation>连接中断，%1 秒后重试</translation>
    </message>
    <message>
        <location filename="../../desktop/wall/controller.py" line="252" />
        <source>Catching up: %1%</source>
        <translation>正在同步数据：%1%</translation>
    </message>
    <message>
        <location filename="../../desktop/wall/controller.py" line="253" />
        <source>Catching up…</source>
        <translation>正在同步数据…</translation>
    </message>
    <message>
        <location filename="../../desktop/wall/controller.py" line="254" />
        <source>Contacting the hub…</source>
        <translation>正在联系平台…</translation>
    </message>
    <message>
        <location filename="../../desktop/wall/launch.py" line="58" />
        <source>Loading the jurisdiction…</source>
        <translation>正在加载辖区…</translation>
    </message>
</context>
<context>
    <name>WallAlarm</name>
    <message>
        <location filename="../../widgets/wall/alarm.py" line="109" />
        <source>No unacknowledged alarms</source>
        <translation>无未确认告警</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/alarm.py" line="123" />
        <source>Awaiting acknowledgement %1 / %2</source>
        <translation>待确认 %1 / %2</translation>
    </message>
</context>
<context>
    <name>WallCategoryChart</name>
    <message>
        <location filename="../../widgets/wall/charts.py" line="119" />
        <source>Open cases by category</source>
        <translation>在办事件类别构成</translation>
    </message>
</context>
<context>
    <name>WallHeader</name>
    <message>
        <location filename="../../widgets/wall/header.py" line="46" />
        <source>Alarm: rotation paused</source>
        <translation>告警中，轮播暂停</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/header.py" line="48" />
        <source>Rotating %1 / %2</source>
        <translation>轮播 %1 / %2</translation>
    </message>
</context>
<context>
    <name>WallHourlyChart</name>
    <message>
        <location filename="../../widgets/wall/charts.py" line="102" />
        <source>Reports per hour: today (bars), yesterday (dashed)</source>
        <extracomment>The category names' axis takes at most this share of the chart's width.</extracomment>
        <translation>每小时上报：今日（柱）、昨日（虚线）</translation>
    </message>
</context>
<context>
    <name>WallRanking</name>
    <message>
        <location filename="../../widgets/wall/ranking.py" line="23" />
        <source>Assessment ranking today</source>
        <translation>今日综合评价排名</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/ranking.py" line="25" />
        <source>Rank</source>
        <translation>名次</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/ranking.py" line="26" />
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/ranking.py" line="27" />
        <source>Score</source>
        <translation>综合评价</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/ranking.py" line="28" />
        <source>On time</source>
        <translation>按期结案率</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/ranking.py" line="29" />
        <source>Overdue</source>
        <translation>超期未结</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/ranking.py" line="53" />
        <source>— fewer than %1 cases due or reported today: not ranked</source>
        <translation>— 今日应结案与上报均不足%1件，不参与排名</translation>
    </message>
</context>
<context>
    <name>WallTicker</name>
    <message>
        <location filename="../../widgets/wall/ticker.py" line="28" />
        <source>Latest cases</source>
        <translation>最新事件</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/ticker.py" line="30" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/ticker.py" line="31" />
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/ticker.py" line="32" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/ticker.py" line="33" />
        <source>Place</source>
        <translation>地点</translation>
    </message>
</context>
<context>
    <name>WallTiles</name>
    <message>
        <location filename="../../widgets/wall/tiles.py" line="57" />
        <source>Reported today</source>
        <translation>今日上报</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/tiles.py" line="58" />
        <source>Closed today</source>
        <translation>今日结案</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/tiles.py" line="59" />
        <source>Due so far today</source>
        <translation>今日应结案</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/tiles.py" line="60" />
        <source>On-time closure rate</source>
        <translation>按期结案率</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/tiles.py" line="61" />
        <source>Open</source>
        <translation>在办</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/tiles.py" line="62" />
        <source>Overdue open</source>
        <translation>超期未结</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/tiles.py" line="63" />
        <source>Supervised today</source>
        <translation>今日督办</translation>
    </message>
</context>
</TS>
